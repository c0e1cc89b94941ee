// Writes test PDFs from the command line, so a test can build a big one in another process
// and measure its own memory untouched by the building.
// Usage: node --import tsx tests/fixtures-gen/make-pdfs-cli.ts long <dest.pdf> <pages> <dpi>
//        node --import tsx tests/fixtures-gen/make-pdfs-cli.ts all <dir> <scan image>...
import { makeAllPdfFixtures, makeLongScannedPdf } from './make-pdfs';

const [kind, dest, ...rest] = process.argv.slice(2);
if (kind === 'long' && dest) {
  await makeLongScannedPdf(dest, Number(rest[0] ?? 300), Number(rest[1] ?? 150));
} else if (kind === 'all' && dest) {
  await makeAllPdfFixtures(dest, rest);
} else {
  process.stderr.write(
    'usage: make-pdfs-cli.ts long <dest.pdf> <pages> <dpi> | all <dir> <scans...>\n',
  );
  process.exit(2);
}
