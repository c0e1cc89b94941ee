/**
 * ALTO XML v4 (namespace http://www.loc.gov/standards/alto/ns-v4#), measurement unit pixel:
 * Page > PrintSpace > TextBlock > TextLine > String, with SP between the words of a line.
 * HPOS/VPOS/WIDTH/HEIGHT are page pixels from the top-left; WC is the word confidence, 0..1.
 */
import type { Box, ExportDocument, OcrBlock, OcrLine, PageResult } from '../../../shared/domain';
import { wordsOf } from './hocr-format';
import { xmlAttr, xmlText } from './xml-text';

export const ALTO_NAMESPACE = 'http://www.loc.gov/standards/alto/ns-v4#';

export function toAlto(doc: ExportDocument): string {
  const pages = doc.pages.map(altoPage).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="${ALTO_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="${ALTO_NAMESPACE} http://www.loc.gov/standards/alto/v4/alto-4-2.xsd">
 <Description>
  <MeasurementUnit>pixel</MeasurementUnit>
  <sourceImageInformation>
   <fileName>${xmlText(doc.sourcePath)}</fileName>
  </sourceImageInformation>
  <Processing ID="processing_1">
   <processingStepDescription>text recognition</processingStepDescription>
   <processingSoftware>
    <softwareName>OCR Desk</softwareName>
   </processingSoftware>
  </Processing>
 </Description>
 <Layout>
${pages}
 </Layout>
</alto>
`;
}

function altoPage(page: PageResult): string {
  const n = page.pageIndex + 1;
  const pageSize = `WIDTH="${page.widthPx}" HEIGHT="${page.heightPx}"`;
  const blocks = page.blocks.map((block, b) => altoBlock(block, `${n}_${b + 1}`)).join('\n');
  return [
    `  <Page ID="page_${n}" PHYSICAL_IMG_NR="${n}" ${pageSize}>`,
    `   <PrintSpace HPOS="0" VPOS="0" ${pageSize}>`,
    blocks,
    '   </PrintSpace>',
    '  </Page>',
  ]
    .filter((part) => part !== '')
    .join('\n');
}

function altoBlock(block: OcrBlock, id: string): string {
  // ALTO wants at least one String in a TextLine, so a line with no words is left out.
  const lines = block.lines
    .map((line, l) => altoLine(line, `${id}_${l + 1}`))
    .filter((line): line is string => line !== undefined);
  return [
    `    <TextBlock ID="block_${id}" ${position(block.box)}>`,
    ...lines,
    '    </TextBlock>',
  ].join('\n');
}

function altoLine(line: OcrLine, id: string): string | undefined {
  const words = wordsOf(line);
  if (words.length === 0) return undefined;
  const parts: string[] = [];
  words.forEach((word, w) => {
    if (w > 0) {
      // The gap between the previous word's right edge and this word's left edge.
      const previous = words[w - 1].box;
      const gapStart = Math.round(previous.x + previous.width);
      const gapWidth = Math.max(0, Math.round(word.box.x) - gapStart);
      parts.push(`<SP HPOS="${gapStart}" VPOS="${Math.round(line.box.y)}" WIDTH="${gapWidth}"/>`);
    }
    const confidence = Math.min(1, Math.max(0, word.confidence)).toFixed(3);
    parts.push(
      `<String ID="string_${id}_${w + 1}" ${position(word.box)} WC="${confidence}" CONTENT="${xmlAttr(word.text)}"/>`,
    );
  });
  return [
    `     <TextLine ID="line_${id}" ${position(line.box)}>`,
    ...parts.map((part) => `      ${part}`),
    '     </TextLine>',
  ].join('\n');
}

function position({ x, y, width, height }: Box): string {
  const hpos = Math.round(x);
  const vpos = Math.round(y);
  return `HPOS="${hpos}" VPOS="${vpos}" WIDTH="${Math.max(0, Math.round(width))}" HEIGHT="${Math.max(0, Math.round(height))}"`;
}
