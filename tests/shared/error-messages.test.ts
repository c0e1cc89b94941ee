/** Error messages reach the user on one line, whatever the library that raised them wrote. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OcrError, toErrorInfo } from '../../shared/errors';

// libvips reports a damaged file over several lines, each ending in a newline.
const LIBVIPS_STYLE =
  'Input file has corrupt header: pngload: end of stream\n  vips2png: unable to write\n';

test('an OcrError built from a several-line reason reads on one line', () => {
  const error = new OcrError('invalid_input', `Page 1 could not be decoded (${LIBVIPS_STYLE})`);
  assert.equal(
    error.message,
    'Page 1 could not be decoded (Input file has corrupt header: pngload: end of stream; vips2png: unable to write)',
  );
});

test('any other error crossing the boundary is told on one line too', () => {
  const info = toErrorInfo(new Error(LIBVIPS_STYLE));
  assert.deepEqual(info, {
    code: 'internal',
    message: 'Input file has corrupt header: pngload: end of stream; vips2png: unable to write',
  });
});
