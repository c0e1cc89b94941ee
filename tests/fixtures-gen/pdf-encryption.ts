/**
 * Encrypts a pdf-lib document with the PDF standard security handler, revision 2 (40-bit
 * RC4), as old tools still write it: an empty user password (any viewer opens the file) and
 * an owner password. This is the "protected" PDF people meet every day: readable, yet a
 * library without a decryptor cannot copy its pages.
 */
import { createHash } from 'node:crypto';
import { PDFDocument, PDFHexString, PDFNumber, PDFRawStream, PDFStream } from 'pdf-lib';

/** The padding string of the standard security handler (PDF 32000-1, 7.6.3.3). */
const PASSWORD_PAD = Buffer.from(
  '28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a',
  'hex',
);
/** Every permission granted; only the owner password is set. */
const PERMISSIONS = -4;

function rc4(key: Buffer, data: Uint8Array): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 0xff;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]) & 0xff;
    [s[i], s[j]] = [s[j], s[i]];
    out[n] = data[n] ^ s[(s[i] + s[j]) & 0xff];
  }
  return out;
}

const md5 = (...parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest();

function padded(password: string): Buffer {
  return Buffer.concat([Buffer.from(password, 'latin1'), PASSWORD_PAD]).subarray(0, 32);
}

/**
 * Encrypts every stream of `doc` in place and adds the /Encrypt dictionary. The document must
 * hold no strings (create it with `updateMetadata: false`), since those are left as they are.
 */
export function encryptWithOwnerPassword(doc: PDFDocument, ownerPassword: string): void {
  const id = createHash('md5').update(ownerPassword).update('ocr-desk').digest();
  const owner = rc4(md5(padded(ownerPassword)).subarray(0, 5), padded(''));
  const permissions = Buffer.alloc(4);
  permissions.writeInt32LE(PERMISSIONS);
  const fileKey = md5(padded(''), owner, permissions, id).subarray(0, 5);
  const user = rc4(fileKey, PASSWORD_PAD);

  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFStream)) continue;
    const objectKey = Buffer.alloc(5);
    objectKey.writeUIntLE(ref.objectNumber, 0, 3);
    objectKey.writeUIntLE(ref.generationNumber, 3, 2);
    const key = md5(fileKey, objectKey).subarray(0, 10);
    doc.context.assign(ref, PDFRawStream.of(object.dict, rc4(key, object.getContents())));
  }

  const encrypt = doc.context.obj({
    Filter: 'Standard',
    V: 1,
    R: 2,
    Length: 40,
    O: PDFHexString.of(owner.toString('hex')),
    U: PDFHexString.of(user.toString('hex')),
    P: PDFNumber.of(PERMISSIONS),
  });
  doc.context.trailerInfo.Encrypt = doc.context.register(encrypt);
  const idString = PDFHexString.of(id.toString('hex'));
  doc.context.trailerInfo.ID = doc.context.obj([idString, idString]);
}
