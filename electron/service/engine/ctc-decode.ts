/** A recognised character with where it was read, in time steps of the model's output. */
export interface DecodedChar {
  char: string;
  confidence: number;
  firstStep: number;
  lastStep: number;
  /** Highest probability of a space in the steps since the previous character, 0..1. */
  spaceBefore?: number;
}

export interface DecodedSequence {
  text: string;
  chars: DecodedChar[];
  /** Mean character confidence, 0..1 (0 when nothing was read). */
  confidence: number;
}

/**
 * Greedy CTC decoding of one sequence: the best class per time step, repeats collapsed,
 * blanks (class 0) removed. `probs` holds `steps` x `classes` probabilities starting at
 * `offset`; `alphabet[k]` is the character of class k (alphabet[0] is the blank).
 */
export function ctcGreedyDecode(
  probs: Float32Array,
  offset: number,
  steps: number,
  classes: number,
  alphabet: readonly string[],
): DecodedSequence {
  const chars: DecodedChar[] = [];
  let previous = 0;
  let current: DecodedChar | null = null;
  let currentProbSum = 0;
  let currentSteps = 0;
  const spaceClass = classes - 1;
  let spaceSinceLast = 0;

  const closeCurrent = () => {
    if (!current) return;
    current.confidence = currentProbSum / currentSteps;
    chars.push(current);
    current = null;
  };

  for (let t = 0; t < steps; t++) {
    const base = offset + t * classes;
    if (probs[base + spaceClass] > spaceSinceLast) spaceSinceLast = probs[base + spaceClass];
    let best = 0;
    let bestProb = probs[base];
    for (let c = 1; c < classes; c++) {
      const p = probs[base + c];
      if (p > bestProb) {
        bestProb = p;
        best = c;
      }
    }
    if (best !== 0 && best === previous && current) {
      current.lastStep = t;
      currentProbSum += bestProb;
      currentSteps++;
    } else {
      closeCurrent();
      if (best !== 0) {
        current = {
          char: alphabet[best] ?? '',
          confidence: 0,
          firstStep: t,
          lastStep: t,
          spaceBefore: spaceSinceLast,
        };
        spaceSinceLast = 0;
        currentProbSum = bestProb;
        currentSteps = 1;
      }
    }
    previous = best;
  }
  closeCurrent();

  const trimmed = trimSpaces(chars);
  const text = trimmed.map((c) => c.char).join('');
  const confidence =
    trimmed.length === 0 ? 0 : trimmed.reduce((s, c) => s + c.confidence, 0) / trimmed.length;
  return { text, chars: trimmed, confidence };
}

/** Drops leading and trailing spaces and folds runs of spaces into one. */
function trimSpaces(chars: DecodedChar[]): DecodedChar[] {
  const out: DecodedChar[] = [];
  for (const c of chars) {
    const isSpace = c.char === ' ';
    if (isSpace && (out.length === 0 || out[out.length - 1].char === ' ')) continue;
    out.push(c);
  }
  while (out.length > 0 && out[out.length - 1].char === ' ') out.pop();
  return out;
}

/** The model's alphabet: blank, the dictionary's characters in order, then the space. */
export function alphabetFromDictionary(dictionaryText: string): string[] {
  const lines = dictionaryText.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return ['', ...lines, ' '];
}
