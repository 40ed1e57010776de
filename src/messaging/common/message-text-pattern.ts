/**
 * The message text the OpenAPI document promises, as one pattern that both ECMAScript and Python (the
 * contract fuzzer) read alike: only code points of the Basic Multilingual Plane, less what
 * text-rules.ts refuses in message text, with at least one visible character. The API accepts more
 * (emoji and other characters beyond U+FFFF); a document may promise less than the API accepts, never
 * more (the contract fuzzer is told so by test/fuzz/schemathesis_hooks.py). Written as explicit ranges
 * because Python's `re` has no `\p{Cf}`.
 */

/** [first, last] code units the API refuses in message text, within U+0000–U+FFFF. */
const REFUSED: ReadonlyArray<readonly [number, number]> = [
  [0x0000, 0x0008], [0x000b, 0x000c], [0x000e, 0x001f], [0x007f, 0x009f], // controls but TAB, LF, CR
  [0x00ad, 0x00ad], [0x0600, 0x0605], [0x06dd, 0x06dd], [0x070f, 0x070f], // format characters (Cf) ...
  [0x0890, 0x0891], [0x08e2, 0x08e2], [0x180e, 0x180e], [0x200b, 0x200b], // ... but ZWNJ, ZWJ, LRM, RLM, ALM
  [0x2028, 0x202e], // line and paragraph separators, bidi embeddings and overrides
  [0x2060, 0x2064], [0x2066, 0x206f], // word joiner and invisible operators, bidi isolates
  [0xd800, 0xdfff], // surrogates: nothing beyond the BMP is promised
  [0xfdd0, 0xfdef], [0xfeff, 0xfeff], [0xfff9, 0xfffb], [0xfffe, 0xffff], // noncharacters, BOM, annotations
];

/** What JavaScript's `\s` matches among the accepted characters: not visible on its own. */
const WHITESPACE: ReadonlyArray<readonly [number, number]> = [
  [0x0009, 0x000a], [0x000d, 0x000d], [0x0020, 0x0020], [0x00a0, 0x00a0], [0x1680, 0x1680],
  [0x2000, 0x200a], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000],
];

/** The ranges of U+0000–U+FFFF outside `excluded` (sorted, not overlapping). */
function complement(excluded: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let next = 0;
  for (const [first, last] of [...excluded].sort((a, b) => a[0] - b[0])) {
    if (first > next) ranges.push([next, first - 1]);
    next = Math.max(next, last + 1);
  }
  if (next <= 0xffff) ranges.push([next, 0xffff]);
  return ranges;
}

const unit = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;
const characterClass = (ranges: Array<[number, number]>) =>
  `[${ranges.map(([first, last]) => (first === last ? unit(first) : `${unit(first)}-${unit(last)}`)).join('')}]`;

const ACCEPTED = characterClass(complement(REFUSED));
const VISIBLE = characterClass(complement([...REFUSED, ...WHITESPACE]));

/** Accepted characters only, one of them visible. */
export const MESSAGE_TEXT_SCHEMA_PATTERN = `^${ACCEPTED}*${VISIBLE}${ACCEPTED}*$`;

/** Accepted characters only, possibly none: a part of a message text (an optional template variable). */
export const MESSAGE_TEXT_PART_SCHEMA_PATTERN = `^${ACCEPTED}*$`;
