/**
 * A page image with its detected lines drawn over it. The SVG uses the page's own pixel
 * coordinates, so the polygons stay on their text whatever size the image is shown at.
 */
import type { PageImage } from '../../shared/contract';
import type { PageResult } from '../../shared/domain';

/** Lines below this confidence (0..1) are drawn dashed, as needing a second look. */
export const LOW_CONFIDENCE = 0.6;

export interface FlatLine {
  key: string;
  text: string;
  confidence: number;
  points: string;
  words: { text: string; confidence: number }[];
}

export function flattenLines(page: PageResult): FlatLine[] {
  const lines: FlatLine[] = [];
  page.blocks.forEach((block, blockIndex) =>
    block.lines.forEach((line, lineIndex) =>
      lines.push({
        key: `${blockIndex}.${lineIndex}`,
        text: line.text,
        confidence: line.confidence,
        points: line.polygon.map(([x, y]) => `${x},${y}`).join(' '),
        words: line.words.map((w) => ({ text: w.text, confidence: w.confidence })),
      }),
    ),
  );
  return lines;
}

interface PageViewProps {
  image: PageImage | null;
  imageError: string | null;
  page: PageResult;
  lines: FlatLine[];
  hoveredKey: string | null;
  onHover: (key: string | null) => void;
}

export function PageView({ image, imageError, page, lines, hoveredKey, onHover }: PageViewProps) {
  const widthPx = image?.widthPx ?? page.widthPx;
  const heightPx = image?.heightPx ?? page.heightPx;
  return (
    <div
      className="page-view"
      data-testid="page-view"
      style={{
        aspectRatio: `${widthPx} / ${heightPx}`,
        // A tall receipt fits the pane's height rather than pushing the text out of view.
        width: `min(100%, calc(62vh * ${widthPx / heightPx}))`,
        margin: '0 auto',
      }}
    >
      {image ? (
        <img src={image.dataUrl} alt={`Page ${page.pageIndex + 1}`} />
      ) : (
        <div className="empty">{imageError ?? 'Loading page image…'}</div>
      )}
      <svg
        viewBox={`0 0 ${widthPx} ${heightPx}`}
        preserveAspectRatio="none"
        aria-label="Detected lines"
      >
        {lines.map((line) => (
          <polygon
            key={line.key}
            points={line.points}
            className={[
              line.key === hoveredKey ? 'hover' : '',
              line.confidence < LOW_CONFIDENCE ? 'low' : '',
            ].join(' ')}
            onMouseEnter={() => onHover(line.key)}
            onMouseLeave={() => onHover(null)}
            data-line={line.key}
          >
            <title>
              {line.text} ({Math.round(line.confidence * 100)}%)
            </title>
          </polygon>
        ))}
      </svg>
    </div>
  );
}
