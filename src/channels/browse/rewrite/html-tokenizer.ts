import { decodeHTMLAttribute } from 'entities/decode';
import { createTreeFeedback, type TreeFeedback } from './html-tree-feedback.ts';

/**
 * A streaming HTML tokenizer that follows the WHATWG tokenization states deciding where tokens
 * begin and end (data, tags and their attributes, comments, DOCTYPE, CDATA in foreign content,
 * bogus comments, RCDATA, RAWTEXT, script data with its escaped and double-escaped states,
 * PLAINTEXT), with the tree builder's feedback as parse5's ParserFeedbackSimulator gives it
 * (html-tree-feedback.ts). Written for speed: it scans with indexOf and charCodeAt and builds
 * strings only for what a rewriter looks at (tag and attribute names; attribute values decoded on
 * first read). Every byte of the input comes out in exactly one token's raw source, so a rewriter
 * that writes back the raw of what it leaves alone reproduces the input byte for byte. Only an
 * unfinished token is buffered between chunks, never the document.
 *
 * Checked against parse5's SAXParser (the oracle) by test/unit/channels/browse/rewrite/html-tokenizer.test.ts.
 */
export interface HtmlTokenSink {
  startTag(tag: StartTag, raw: string): void;
  endTag(name: string, raw: string): void;
  /** Character data (text, RCDATA, RAWTEXT, script data, PLAINTEXT, CDATA sections) as written in the source. */
  text(raw: string): void;
  /** A comment or bogus comment; its data is `commentData(raw, dataStart, dataEnd)`. */
  comment(raw: string, dataStart: number, dataEnd: number): void;
  doctype(raw: string): void;
  /** Source that makes no token: `</>` and a tag cut off by the end of the document (the spec drops both). */
  dropped(raw: string): void;
}

export interface StartTag {
  /** ASCII-lower-cased, as the tokenizer names it (`image` is `img` in HTML content, as the tree builder has it). */
  readonly name: string;
  /** In source order, duplicates (which the tokenizer drops) left out; each knows its span in the raw tag. */
  readonly attrs: ReadonlyArray<TagAttribute>;
  readonly selfClosing: boolean;
  /** Whether the source repeated an attribute name (the later ones are not in attrs, only in the raw). */
  readonly hasDuplicateAttributes: boolean;
}

/** One attribute of a tag: its lower-cased name, its value with character references decoded (on first read), and where it is in the raw tag. */
export class TagAttribute {
  readonly name: string;
  /** From the name's first character to the end of the value (closing quote included), in the raw tag. */
  readonly start: number;
  readonly end: number;
  readonly #raw: string;
  readonly #valueStart: number;
  readonly #valueEnd: number;
  #value: string | undefined;
  constructor(raw: string, name: string, start: number, end: number, valueStart: number, valueEnd: number) {
    this.#raw = raw;
    this.name = name;
    this.start = start;
    this.end = end;
    this.#valueStart = valueStart;
    this.#valueEnd = valueEnd;
  }
  get value(): string {
    if (this.#value === undefined) this.#value = decodeAttributeValue(this.#raw.slice(this.#valueStart, this.#valueEnd));
    return this.#value;
  }
}

export interface HtmlTokenizer {
  write(chunk: string): void;
  /** The end of the document: what is pending is tokenized as the spec says for end of file. */
  end(): void;
}

const MODE_DATA = 0;
const MODE_RCDATA = 1;
const MODE_RAWTEXT = 2;
const MODE_SCRIPT = 3;
const MODE_PLAINTEXT = 4;

// Script data sub-states.
const SCRIPT = 0;
const ESCAPED = 1;
const ESCAPED_DASH = 2;
const ESCAPED_DASH_DASH = 3;
const DOUBLE_ESCAPED = 4;
const DOUBLE_ESCAPED_DASH = 5;
const DOUBLE_ESCAPED_DASH_DASH = 6;

/** A reader's answer when the buffer ends before the token does and more input may come. */
const NEED_MORE = -1;

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const DASH = 0x2d;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const QUESTION = 0x3f;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0c || c === 0x0d;
}
function isAlpha(c: number): boolean {
  return ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
}
/** Ends a tag or attribute name. */
function endsName(c: number): boolean {
  return c === GT || c === SLASH || isWhitespace(c);
}

export function createHtmlTokenizer(sink: HtmlTokenSink): HtmlTokenizer {
  const feedback: TreeFeedback = createTreeFeedback();
  let buf = '';
  let last = false;
  let mode = MODE_DATA;
  let scriptState = SCRIPT;
  /** The last start tag's name: what an appropriate end tag in RCDATA, RAWTEXT and script data must match. */
  let lastStartTag = '';

  function run(): void {
    const len = buf.length;
    let pos = 0;
    let textStart = 0;
    const flushText = (to: number) => {
      if (to > textStart) sink.text(buf.slice(textStart, to));
    };
    while (pos < len) {
      if (mode === MODE_DATA) {
        const lt = buf.indexOf('<', pos);
        if (lt === -1) {
          pos = len;
          break;
        }
        const end = readMarkup(lt, textStart);
        if (end === NEED_MORE) {
          flushText(lt);
          buf = buf.slice(lt);
          return;
        }
        if (end < 0) {
          // The '<' is text (-end - 2 is where scanning goes on).
          pos = -end - 2;
          continue;
        }
        pos = end;
        textStart = end;
      } else if (mode === MODE_RCDATA || mode === MODE_RAWTEXT) {
        const at = findAppropriateEndTag(pos);
        if (at < 0) {
          // No end tag yet: all text, but what may start one at the very end waits.
          const keep = -at - 2;
          flushText(keep);
          buf = buf.slice(keep);
          return;
        }
        const end = readTag(at, at + 2, true, textStart);
        if (end === NEED_MORE) {
          flushText(at);
          buf = buf.slice(at);
          return;
        }
        pos = end;
        textStart = end;
      } else if (mode === MODE_SCRIPT) {
        const at = scanScript(pos);
        if (at === NEED_MORE || at < 0) {
          const keep = at === NEED_MORE ? len : -at - 2;
          flushText(keep);
          buf = buf.slice(keep);
          return;
        }
        const end = readTag(at, at + 2, true, textStart);
        if (end === NEED_MORE) {
          flushText(at);
          buf = buf.slice(at);
          return;
        }
        pos = end;
        textStart = end;
      } else {
        pos = len;
      }
    }
    flushText(len);
    buf = '';

    /**
     * At a '<' in the data state: reads the token it starts and returns where it ends; NEED_MORE;
     * or -(next + 2) when the '<' is only text and scanning goes on at next.
     */
    function readMarkup(lt: number, textFrom: number): number {
      if (lt + 1 >= len) return last ? -(len + 2) : NEED_MORE;
      const c = buf.charCodeAt(lt + 1);
      if (isAlpha(c)) return readTag(lt, lt + 1, false, textFrom);
      if (c === SLASH) {
        if (lt + 2 >= len) return last ? -(len + 2) : NEED_MORE;
        const c2 = buf.charCodeAt(lt + 2);
        if (isAlpha(c2)) return readTag(lt, lt + 2, true, textFrom);
        if (c2 === GT) {
          flushTextTo(textFrom, lt);
          sink.dropped(buf.slice(lt, lt + 3));
          return lt + 3;
        }
        return readBogusComment(lt, lt + 2, textFrom);
      }
      if (c === BANG) return readDeclaration(lt, textFrom);
      if (c === QUESTION) return readBogusComment(lt, lt + 1, textFrom);
      return -(lt + 1 + 2);
    }

    function flushTextTo(from: number, to: number): void {
      if (to > from) sink.text(buf.slice(from, to));
    }

    function readDeclaration(lt: number, textFrom: number): number {
      const rest = buf.slice(lt + 2, lt + 9);
      if (rest.startsWith('--')) return readComment(lt, textFrom);
      if (rest.length === 7 && rest.toLowerCase() === 'doctype') {
        const gt = buf.indexOf('>', lt + 9);
        if (gt === -1 && !last) return NEED_MORE;
        const end = gt === -1 ? len : gt + 1;
        flushTextTo(textFrom, lt);
        sink.doctype(buf.slice(lt, end));
        return end;
      }
      if (feedback.inForeignContent() && rest === '[CDATA[') {
        const close = buf.indexOf(']]>', lt + 9);
        if (close === -1 && !last) return NEED_MORE;
        const end = close === -1 ? len : close + 3;
        flushTextTo(textFrom, lt);
        sink.text(buf.slice(lt, end));
        return end;
      }
      // A declaration cut short by the buffer's end (`<!-`, `<!DOC`) has no '>' yet either: the bogus
      // comment reader waits for more input, and the declaration is read again from its '<'.
      return readBogusComment(lt, lt + 2, textFrom);
    }

    function readBogusComment(lt: number, dataStart: number, textFrom: number): number {
      const gt = buf.indexOf('>', dataStart);
      if (gt === -1 && !last) return NEED_MORE;
      const end = gt === -1 ? len : gt + 1;
      flushTextTo(textFrom, lt);
      sink.comment(buf.slice(lt, end), dataStart - lt, (gt === -1 ? len : gt) - lt);
      return end;
    }

    function readComment(lt: number, textFrom: number): number {
      const body = lt + 4;
      let end = -1;
      let dataEnd = -1;
      if (body < len && buf.charCodeAt(body) === GT) {
        end = body + 1; // <!-->
        dataEnd = body;
      } else if (body + 1 < len && buf.charCodeAt(body) === DASH && buf.charCodeAt(body + 1) === GT) {
        end = body + 2; // <!--->
        dataEnd = body;
      } else {
        let from = body;
        for (;;) {
          const dashes = buf.indexOf('--', from);
          if (dashes === -1) break;
          let j = dashes + 2;
          while (j < len && buf.charCodeAt(j) === DASH) j++;
          if (j >= len) break;
          const c = buf.charCodeAt(j);
          if (c === GT) {
            end = j + 1;
            dataEnd = j - 2;
            break;
          }
          if (c === BANG) {
            if (j + 1 >= len) break;
            if (buf.charCodeAt(j + 1) === GT) {
              end = j + 2;
              dataEnd = j - 2;
              break;
            }
            from = j + 1;
          } else {
            from = j;
          }
        }
      }
      if (end === -1) {
        if (!last) return NEED_MORE;
        end = len;
        dataEnd = commentDataEndAtEof(body);
      }
      flushTextTo(textFrom, lt);
      sink.comment(buf.slice(lt, end), 4, dataEnd - lt);
      return end;
    }

    /** Where a comment's data ends when the document ends inside it (the dashes of an unfinished `--` or `--!` are not data). */
    function commentDataEndAtEof(body: number): number {
      if (len >= body + 3 && buf.endsWith('--!')) return len - 3;
      let dashes = 0;
      while (len - dashes > body && buf.charCodeAt(len - dashes - 1) === DASH) dashes++;
      return len - Math.min(dashes, 2);
    }

    /**
     * Reads a start or end tag whose name begins at nameStart (a letter); emits it, applies the tree
     * builder's feedback and returns where it ends, or NEED_MORE. At the end of the document an
     * unfinished tag is dropped (its source goes to sink.dropped).
     */
    function readTag(lt: number, nameStart: number, isEnd: boolean, textFrom: number): number {
      let i = nameStart + 1;
      let c = 0;
      while (i < len) {
        c = buf.charCodeAt(i);
        if (c === GT || c === SLASH || c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0c || c === 0x0d) break;
        i++;
      }
      if (i >= len) return unfinishedTag(lt, textFrom);
      const name = normalizeName(buf.slice(nameStart, i));
      let attrs: TagAttribute[] | undefined;
      let duplicates = false;
      let selfClosing = false;
      const pending: number[] = [];
      for (;;) {
        while (i < len && isWhitespace(buf.charCodeAt(i))) i++;
        if (i >= len) return unfinishedTag(lt, textFrom);
        c = buf.charCodeAt(i);
        if (c === GT) {
          i++;
          break;
        }
        if (c === SLASH) {
          i++;
          if (i >= len) return unfinishedTag(lt, textFrom);
          if (buf.charCodeAt(i) === GT) {
            selfClosing = true;
            i++;
            break;
          }
          continue;
        }
        const attrStart = i;
        i++; // the first character is the name's, even '='
        while (i < len) {
          c = buf.charCodeAt(i);
          if (c === EQUALS || c === GT || c === SLASH || isWhitespace(c)) break;
          i++;
        }
        if (i >= len) return unfinishedTag(lt, textFrom);
        const nameEnd = i;
        while (i < len && isWhitespace(buf.charCodeAt(i))) i++;
        if (i >= len) return unfinishedTag(lt, textFrom);
        let valueStart = nameEnd;
        let valueEnd = nameEnd;
        let attrEnd = nameEnd;
        if (buf.charCodeAt(i) === EQUALS) {
          i++;
          while (i < len && isWhitespace(buf.charCodeAt(i))) i++;
          if (i >= len) return unfinishedTag(lt, textFrom);
          c = buf.charCodeAt(i);
          if (c === QUOTE || c === APOSTROPHE) {
            const close = buf.indexOf(c === QUOTE ? '"' : "'", i + 1);
            if (close === -1) return unfinishedTag(lt, textFrom);
            valueStart = i + 1;
            valueEnd = close;
            i = close + 1;
            attrEnd = i;
          } else if (c === GT) {
            attrEnd = i;
          } else {
            valueStart = i;
            while (i < len) {
              c = buf.charCodeAt(i);
              if (c === GT || isWhitespace(c)) break;
              i++;
            }
            if (i >= len) return unfinishedTag(lt, textFrom);
            valueEnd = i;
            attrEnd = i;
          }
        } else {
          i = nameEnd; // whitespace after a name without a value is skipped by the next round
        }
        pending.push(attrStart, nameEnd, valueStart, valueEnd, attrEnd);
      }
      const raw = buf.slice(lt, i);
      if (pending.length > 0) {
        attrs = [];
        const seen = pending.length > 5 * 32 ? new Set<string>() : undefined;
        for (let k = 0; k < pending.length; k += 5) {
          const attrName = normalizeName(buf.slice(pending[k]!, pending[k + 1]!));
          if (seen !== undefined ? seen.has(attrName) : attrs.some((attr) => attr.name === attrName)) {
            duplicates = true;
            continue;
          }
          seen?.add(attrName);
          attrs.push(new TagAttribute(raw, attrName, pending[k]! - lt, pending[k + 4]! - lt, pending[k + 2]! - lt, pending[k + 3]! - lt));
        }
      }
      flushTextTo(textFrom, lt);
      const attributes = attrs ?? NO_ATTRIBUTES;
      if (isEnd) {
        feedback.endTag(name, attributes);
        mode = MODE_DATA;
        scriptState = SCRIPT;
        sink.endTag(name, raw);
      } else {
        lastStartTag = name;
        const html = !feedback.inForeignContent();
        feedback.startTag(name, attributes, selfClosing);
        // parse5's feedback switches the tokenizer only for a tag in HTML content (self-closing or not).
        if (html) mode = modeAfter(name);
        sink.startTag({ name: html && name === 'image' ? 'img' : name, attrs: attributes, selfClosing, hasDuplicateAttributes: duplicates }, raw);
      }
      return i;
    }

    function unfinishedTag(lt: number, textFrom: number): number {
      if (!last) return NEED_MORE;
      flushTextTo(textFrom, lt);
      sink.dropped(buf.slice(lt));
      return len;
    }

    /** In RCDATA or RAWTEXT: where the appropriate end tag starts, or -(k + 2) when there is none before k (the buffer's end, or where one may start). */
    function findAppropriateEndTag(from: number): number {
      let at = buf.indexOf('</', from);
      while (at !== -1) {
        const match = matchesEndTagName(at + 2, lastStartTag);
        if (match === 1) return at;
        if (match === NEED_MORE) return -(at + 2);
        at = buf.indexOf('</', at + 2);
      }
      return !last && buf.charCodeAt(len - 1) === LT ? -(len - 1 + 2) : -(len + 2);
    }

    /** 1 when `name` (ASCII case-insensitively) followed by whitespace, '/' or '>' is at i; 0 when not; NEED_MORE when the buffer ends first. */
    function matchesEndTagName(i: number, name: string): number {
      const n = name.length;
      for (let k = 0; k < n; k++) {
        if (i + k >= len) return last ? 0 : NEED_MORE;
        if ((buf.charCodeAt(i + k) | 0x20) !== name.charCodeAt(k)) return 0;
      }
      if (i + n >= len) return last ? 0 : NEED_MORE;
      return endsName(buf.charCodeAt(i + n)) ? 1 : 0;
    }

    /** 1 when the letters at i spell `script` (any case) followed by whitespace, '/' or '>'; 0 otherwise (letters then anything else); NEED_MORE. */
    function matchesScriptRun(i: number): { match: number; after: number } {
      let k = i;
      while (k < len && isAlpha(buf.charCodeAt(k))) k++;
      if (k >= len) return { match: last ? 0 : NEED_MORE, after: k };
      const isScript = k - i === 6 && buf.slice(i, k).toLowerCase() === 'script';
      return { match: isScript && endsName(buf.charCodeAt(k)) ? 1 : 0, after: k };
    }

    /**
     * Script data from `from`: returns where an appropriate `</script` end tag starts; or NEED_MORE
     * (all text, state kept) at the end of the buffer; or -(at + 2) when a construct starting at `at`
     * needs more input.
     */
    function scanScript(from: number): number {
      let k = from;
      let state = scriptState;
      while (k < len) {
        if (state === SCRIPT) {
          const lt = buf.indexOf('<', k);
          if (lt === -1) {
            k = len;
            break;
          }
          k = lt;
          if (k + 1 >= len) {
            if (last) break;
            scriptState = state;
            return -(k + 2);
          }
          const c1 = buf.charCodeAt(k + 1);
          if (c1 === SLASH) {
            const match = matchesEndTagName(k + 2, 'script');
            if (match === 1) {
                scriptState = state;
                return k;
              }
            if (match === NEED_MORE) {
              scriptState = state;
              return -(k + 2);
            }
            k += 2;
          } else if (c1 === BANG) {
            if (k + 3 >= len && !last) {
              scriptState = state;
              return -(k + 2);
            }
            if (k + 2 < len && buf.charCodeAt(k + 2) === DASH) {
              if (k + 3 < len && buf.charCodeAt(k + 3) === DASH) {
                state = ESCAPED_DASH_DASH;
                k += 4;
              } else {
                k += 3;
              }
            } else {
              k += 2;
            }
          } else {
            k += 1;
          }
          continue;
        }
        const c = buf.charCodeAt(k);
        if (state <= ESCAPED_DASH_DASH) {
          if (c === DASH) {
            state = state === ESCAPED ? ESCAPED_DASH : ESCAPED_DASH_DASH;
            k++;
          } else if (c === LT) {
            if (k + 1 >= len) {
              if (last) break;
              scriptState = state;
              return -(k + 2);
            }
            const c1 = buf.charCodeAt(k + 1);
            if (c1 === SLASH) {
              const match = matchesEndTagName(k + 2, 'script');
              if (match === 1) {
                scriptState = state;
                return k;
              }
              if (match === NEED_MORE) {
                scriptState = state;
                return -(k + 2);
              }
              state = ESCAPED;
              k += 2;
            } else if (isAlpha(c1)) {
              const run = matchesScriptRun(k + 1);
              if (run.match === NEED_MORE) {
                scriptState = state;
                return -(k + 2);
              }
              if (run.after < len && endsName(buf.charCodeAt(run.after))) {
                state = run.match === 1 ? DOUBLE_ESCAPED : ESCAPED;
                k = run.after + 1;
              } else {
                state = ESCAPED;
                k = run.after;
              }
            } else {
              state = ESCAPED;
              k += 1;
            }
          } else if (c === GT && state === ESCAPED_DASH_DASH) {
            state = SCRIPT;
            k++;
          } else {
            state = ESCAPED;
            k++;
          }
          continue;
        }
        // Double escaped.
        if (c === DASH) {
          state = state === DOUBLE_ESCAPED ? DOUBLE_ESCAPED_DASH : DOUBLE_ESCAPED_DASH_DASH;
          k++;
        } else if (c === LT) {
          if (k + 1 >= len) {
            if (last) break;
            scriptState = state;
            return -(k + 2);
          }
          if (buf.charCodeAt(k + 1) === SLASH) {
            const run = matchesScriptRun(k + 2);
            if (run.match === NEED_MORE) {
              scriptState = state;
              return -(k + 2);
            }
            if (run.after < len && endsName(buf.charCodeAt(run.after))) {
              state = run.match === 1 ? ESCAPED : DOUBLE_ESCAPED;
              k = run.after + 1;
            } else {
              state = DOUBLE_ESCAPED;
              k = run.after;
            }
          } else {
            state = DOUBLE_ESCAPED;
            k += 1;
          }
        } else if (c === GT && state === DOUBLE_ESCAPED_DASH_DASH) {
          state = SCRIPT;
          k++;
        } else {
          state = DOUBLE_ESCAPED;
          k++;
        }
      }
      scriptState = state;
      return NEED_MORE;
    }
  }

  function modeAfter(name: string): number {
    switch (name) {
      case 'textarea':
      case 'title':
        return MODE_RCDATA;
      case 'plaintext':
        return MODE_PLAINTEXT;
      case 'script':
        scriptState = SCRIPT;
        return MODE_SCRIPT;
      case 'style':
      case 'iframe':
      case 'xmp':
      case 'noembed':
      case 'noframes':
      case 'noscript':
        return MODE_RAWTEXT;
      default:
        return MODE_DATA;
    }
  }

  // An unfinished token is tried again only once what is held has doubled since the last try (or is
  // still small), so a huge one (a multi-megabyte data: URL in an attribute) arriving in many chunks
  // costs linear time, not quadratic; what is held stays under twice that token.
  const waiting: string[] = [];
  let waitingLength = 0;
  let triedAt = 0;
  function take(): void {
    if (waiting.length > 0) {
      buf += waiting.join('');
      waiting.length = 0;
      waitingLength = 0;
    }
  }
  return {
    write(chunk) {
      if (chunk === '') return;
      if (buf.length >= RETRY_FREELY_BELOW && buf.length + waitingLength + chunk.length < 2 * triedAt) {
        waiting.push(chunk);
        waitingLength += chunk.length;
        return;
      }
      take();
      buf = buf === '' ? chunk : buf + chunk;
      run();
      triedAt = buf.length;
    },
    end() {
      last = true;
      take();
      if (buf !== '') run();
      buf = '';
    },
  };
}

/** Below this many characters an unfinished token is tried again with every chunk. */
const RETRY_FREELY_BELOW = 8192;

const NO_ATTRIBUTES: ReadonlyArray<TagAttribute> = Object.freeze([]);

/** The data of a comment token: CR LF and CR as LF, NUL as U+FFFD (as the input stream preprocessor and comment states do). */
export function commentData(raw: string, start: number, end: number): string {
  return normalizeNewlinesAndNul(raw.slice(start, end));
}

function normalizeNewlinesAndNul(text: string): string {
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  if (text.includes('\0')) text = text.replaceAll('\0', '\uFFFD');
  return text;
}

/** A tag or attribute name as the tokenizer builds it: ASCII upper case lowered, NUL as U+FFFD, CR as LF. */
function normalizeName(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c === 0 || c === 0x0d) return normalizeNewlinesAndNul(name.replace(/[A-Z]+/g, (upper) => upper.toLowerCase()));
  }
  return name;
}

/** An attribute value as the tokenizer builds it: newlines and NUL normalized, character references decoded as in an attribute. */
function decodeAttributeValue(value: string): string {
  const normalized = normalizeNewlinesAndNul(value);
  return normalized.includes('&') ? decodeHTMLAttribute(normalized) : normalized;
}
