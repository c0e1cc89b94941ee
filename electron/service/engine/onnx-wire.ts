/**
 * The protocol-buffers wire format, as far as reading and rewriting an ONNX model needs: a
 * message is a list of fields, each kept as its raw payload so that writing it back changes
 * nothing that was not edited.
 */

export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  Bytes = 2,
  Fixed32 = 5,
}

export interface WireField {
  no: number;
  wire: WireType;
  /** The varint's bytes, the fixed-size value's bytes, or a length-delimited field's content. */
  payload: Uint8Array;
}

interface Cursor {
  bytes: Uint8Array;
  at: number;
}

/** Reads a varint as a number (exact below 2^53, which covers ONNX's sizes, counts and enums). */
function readVarint(cursor: Cursor): number {
  let value = 0;
  let factor = 1;
  for (;;) {
    if (cursor.at >= cursor.bytes.length) throw new Error('Truncated varint');
    const byte = cursor.bytes[cursor.at++];
    value += (byte & 0x7f) * factor;
    if ((byte & 0x80) === 0) return value;
    factor *= 128;
  }
}

function varintBytes(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}

/** The fields of one message, in order. */
export function readFields(bytes: Uint8Array): WireField[] {
  const cursor: Cursor = { bytes, at: 0 };
  const fields: WireField[] = [];
  while (cursor.at < bytes.length) {
    const tag = readVarint(cursor);
    const no = Math.floor(tag / 8);
    const wire = (tag % 8) as WireType;
    const start = cursor.at;
    let end: number;
    if (wire === WireType.Varint) {
      readVarint(cursor);
      end = cursor.at;
    } else if (wire === WireType.Fixed64) {
      end = start + 8;
    } else if (wire === WireType.Fixed32) {
      end = start + 4;
    } else if (wire === WireType.Bytes) {
      const length = readVarint(cursor);
      fields.push({ no, wire, payload: bytes.subarray(cursor.at, cursor.at + length) });
      cursor.at += length;
      continue;
    } else {
      throw new Error(`Unsupported wire type ${wire as number}`);
    }
    if (end > bytes.length) throw new Error('Truncated field');
    fields.push({ no, wire, payload: bytes.subarray(start, end) });
    cursor.at = end;
  }
  if (cursor.at !== bytes.length) throw new Error('Truncated message');
  return fields;
}

/** Encodes fields back into one message. */
export function writeFields(fields: WireField[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const field of fields) {
    const head = varintBytes(field.no * 8 + field.wire);
    if (field.wire === WireType.Bytes) head.push(...varintBytes(field.payload.length));
    const headBytes = Uint8Array.from(head);
    parts.push(headBytes, field.payload);
    size += headBytes.length + field.payload.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function varintField(no: number, value: number): WireField {
  return { no, wire: WireType.Varint, payload: Uint8Array.from(varintBytes(value)) };
}

export function bytesField(no: number, payload: Uint8Array): WireField {
  return { no, wire: WireType.Bytes, payload };
}

export function stringField(no: number, value: string): WireField {
  return bytesField(no, new TextEncoder().encode(value));
}

export function float32Field(no: number, value: number): WireField {
  const payload = new Uint8Array(4);
  new DataView(payload.buffer).setFloat32(0, value, true);
  return { no, wire: WireType.Fixed32, payload };
}

export function varintOf(field: WireField): number {
  return readVarint({ bytes: field.payload, at: 0 });
}

export function stringOf(field: WireField): string {
  return new TextDecoder().decode(field.payload);
}

export function float32Of(field: WireField): number {
  const { buffer, byteOffset } = field.payload;
  return new DataView(buffer, byteOffset, 4).getFloat32(0, true);
}

/** The values of a repeated varint field, packed or not. */
export function varintsOf(fields: WireField[], no: number): number[] {
  const values: number[] = [];
  for (const field of fields.filter((f) => f.no === no)) {
    if (field.wire === WireType.Varint) {
      values.push(varintOf(field));
      continue;
    }
    const cursor: Cursor = { bytes: field.payload, at: 0 };
    while (cursor.at < field.payload.length) values.push(readVarint(cursor));
  }
  return values;
}
