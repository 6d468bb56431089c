/**
 * The tree builder's feedback to the tokenizer, exactly as parse5's ParserFeedbackSimulator gives
 * it (parse5-sax-parser): a namespace stack entered at <svg> and <math> and at HTML integration
 * points inside them, left at a breakout tag, at the closing </svg> or </math> and at the end of an
 * integration point. Whether the current node is foreign decides whether CDATA sections are
 * recognised and whether a start tag switches the tokenizer to RCDATA, RAWTEXT, script data or
 * PLAINTEXT (that switch is made by the tokenizer, html-tokenizer.ts). Like parse5, a self-closing
 * <svg/> or <math/> still enters its namespace.
 */
export interface TreeFeedback {
  inForeignContent(): boolean;
  startTag(name: string, attrs: ReadonlyArray<NamedValue>, selfClosing: boolean): void;
  endTag(name: string, attrs: ReadonlyArray<NamedValue>): void;
}

export interface NamedValue {
  readonly name: string;
  readonly value: string;
}

const HTML = 0;
const SVG = 1;
const MATHML = 2;

/** Start tags that end foreign content (font only with color, face or size). */
const BREAKOUT_TAGS = new Set([
  'b', 'big', 'blockquote', 'body', 'br', 'center', 'code', 'dd', 'div', 'dl', 'dt', 'em', 'embed', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'head', 'hr', 'i', 'img',
  'li', 'listing', 'menu', 'meta', 'nobr', 'ol', 'p', 'pre', 'ruby', 's', 'small', 'span', 'strong', 'strike', 'sub', 'sup', 'table', 'tt', 'u', 'ul', 'var',
]);

export function createTreeFeedback(): TreeFeedback {
  /** Innermost namespace first. */
  const stack: number[] = [HTML];
  let foreign = false;
  const enter = (ns: number) => {
    stack.unshift(ns);
    foreign = ns !== HTML;
  };
  const leave = () => {
    stack.shift();
    foreign = stack[0] !== HTML;
  };
  return {
    inForeignContent: () => foreign,
    startTag(name, attrs, selfClosing) {
      if (name === 'svg') enter(SVG);
      else if (name === 'math') enter(MATHML);
      if (!foreign) return;
      if (causesExit(name, attrs)) leave();
      else if (!selfClosing && isIntegrationPoint(name, stack[0], attrs)) enter(HTML);
    },
    endTag(name, attrs) {
      if (!foreign) {
        if (isIntegrationPoint(name, stack[1], attrs)) leave();
      } else if ((name === 'svg' && stack[0] === SVG) || (name === 'math' && stack[0] === MATHML)) {
        leave();
      }
    },
  };
}

function causesExit(name: string, attrs: ReadonlyArray<NamedValue>): boolean {
  if (name === 'font') return attrs.some((attr) => attr.name === 'color' || attr.name === 'size' || attr.name === 'face') || BREAKOUT_TAGS.has(name);
  return BREAKOUT_TAGS.has(name);
}

/** An HTML or MathML text integration point in the namespace ns (names as the tokenizer lower-cases them). */
function isIntegrationPoint(name: string, ns: number | undefined, attrs: ReadonlyArray<NamedValue>): boolean {
  if (ns === SVG) return name === 'foreignobject' || name === 'desc' || name === 'title';
  if (ns !== MATHML) return false;
  if (name === 'annotation-xml') {
    for (const attr of attrs) {
      if (attr.name === 'encoding') {
        const value = attr.value.toLowerCase();
        return value === 'text/html' || value === 'application/xhtml+xml';
      }
    }
    return false;
  }
  return name === 'mi' || name === 'mo' || name === 'mn' || name === 'ms' || name === 'mtext';
}
