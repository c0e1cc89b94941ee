/**
 * The page's text exactly as the service stored it, with each detected line wrapped so that
 * hovering it highlights its polygon, and low-confidence words underlined.
 */
import type { ReactNode } from 'react';
import { LOW_CONFIDENCE, type FlatLine } from './page-view';

function markWords(line: FlatLine): ReactNode[] {
  const parts: ReactNode[] = [];
  let cursor = 0;
  line.words.forEach((word, index) => {
    const at = word.text ? line.text.indexOf(word.text, cursor) : -1;
    if (at < 0 || word.confidence >= LOW_CONFIDENCE) return;
    if (at > cursor) parts.push(line.text.slice(cursor, at));
    parts.push(
      <mark key={index} className="low" title={`${Math.round(word.confidence * 100)}% confident`}>
        {word.text}
      </mark>,
    );
    cursor = at + word.text.length;
  });
  if (cursor < line.text.length) parts.push(line.text.slice(cursor));
  return parts;
}

interface OcrTextProps {
  text: string;
  lines: FlatLine[];
  hoveredKey: string | null;
  onHover: (key: string | null) => void;
}

export function OcrText({ text, lines, hoveredKey, onHover }: OcrTextProps) {
  // Lines are found in the text in reading order; anything between them is kept as it is.
  const parts: ReactNode[] = [];
  let cursor = 0;
  for (const line of lines) {
    const at = line.text ? text.indexOf(line.text, cursor) : -1;
    if (at < 0) continue;
    if (at > cursor) parts.push(text.slice(cursor, at));
    parts.push(
      <span
        key={line.key}
        className={line.key === hoveredKey ? 'line hover' : 'line'}
        onMouseEnter={() => onHover(line.key)}
        onMouseLeave={() => onHover(null)}
        data-line={line.key}
      >
        {markWords(line)}
      </span>,
    );
    cursor = at + line.text.length;
  }
  if (cursor < text.length) parts.push(text.slice(cursor));
  return (
    <pre className="ocr-text" data-testid="ocr-text" tabIndex={0} aria-label="Recognised text">
      {parts}
    </pre>
  );
}
