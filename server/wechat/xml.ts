/**
 * A small, strict XML reader and writer for WeChat's flat push XML.
 *
 * Why not fast-xml-parser: WeChat XML is tiny and fixed (one <xml> root, elements, text, CDATA,
 * no attributes that matter). A ~200-line reader we fully control makes the safety rules explicit:
 * no DTD, no entities beyond the five predefined ones, no numbers (MsgId can exceed 2^53), a depth
 * cap, and no prototype keys. The general parser has had entity-expansion and prototype-pollution
 * advisories, and its validator and parser are two passes with separate rules to keep in step.
 *
 * Every function here is pure and linear in the input length.
 */

export type XmlNode = string | XmlRecord | XmlNode[];
export interface XmlRecord {
  [name: string]: XmlNode;
}

/** The body uses a feature we never process: DOCTYPE, ENTITY or a processing instruction (XXE, billion laughs). */
export class XmlForbidden extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlForbidden';
  }
}

/** The body is not well-formed WeChat XML. */
export class XmlMalformed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlMalformed';
  }
}

const MAX_DEPTH = 16;
// Elements that are lists in WeChat's XML (SendPicsInfo/PicList/item, Articles/item): always arrays,
// so callers need not handle "one item is an object, two are an array".
const LIST_ELEMENTS = new Set(['item']);
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const XML_DECLARATION = /^<\?xml(?:\s[^<>?]*)?\?>/;

/**
 * Parses a push body into a record of strings and nested records.
 * Throws XmlForbidden before any parsing when the body holds a DOCTYPE, ENTITY or processing
 * instruction, and XmlMalformed for anything that is not well-formed `<xml>…</xml>`.
 * Raw control characters (which XML forbids) are dropped first.
 */
export function parseWeChatXml(text: string): XmlRecord {
  const body = stripControlCharacters(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  refuseForbiddenMarkup(body);
  return new Reader(body).document();
}

// C0 controls other than tab, LF and CR, and the two non-characters: XML 1.0 allows none of
// them, even in CDATA. One pasted by a user must not cost the user the answer (and PostgreSQL
// cannot store U+0000 at all), so they are dropped rather than refused; the test is one native
// scan, and the copy is only made when one is there.
// eslint-disable-next-line no-control-regex
const CONTROL_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const CONTROL_CHARS = new RegExp(CONTROL_CHAR.source, 'g');

function stripControlCharacters(body: string): string {
  return CONTROL_CHAR.test(body) ? body.replace(CONTROL_CHARS, '') : body;
}

/**
 * One linear pass over the markup that skips CDATA and comments (a user may legitimately type
 * "<!DOCTYPE" in a text message, which WeChat sends inside CDATA) and refuses any other `<!` or `<?`.
 * Only a leading `<?xml …?>` declaration is allowed.
 */
function refuseForbiddenMarkup(body: string): void {
  const start = body.length - body.trimStart().length;
  let i = body.indexOf('<');
  while (i !== -1) {
    const next = body.charCodeAt(i + 1);
    if (next === 0x21 /* ! */) {
      if (body.startsWith('<![CDATA[', i)) {
        const end = body.indexOf(']]>', i + 9);
        if (end === -1) throw new XmlMalformed('unterminated CDATA section');
        i = body.indexOf('<', end + 3);
        continue;
      }
      if (body.startsWith('<!--', i)) {
        const end = body.indexOf('-->', i + 4);
        if (end === -1) throw new XmlMalformed('unterminated comment');
        i = body.indexOf('<', end + 3);
        continue;
      }
      throw new XmlForbidden('DOCTYPE, ENTITY and other declarations are not accepted');
    }
    if (next === 0x3f /* ? */) {
      if (i !== start || !XML_DECLARATION.test(body.slice(i, i + 200))) {
        throw new XmlForbidden('processing instructions are not accepted');
      }
    }
    i = body.indexOf('<', i + 1);
  }
}

class Reader {
  private pos = 0;
  constructor(private readonly src: string) {}

  document(): XmlRecord {
    this.skipSpace();
    const declaration = XML_DECLARATION.exec(this.src.slice(this.pos, this.pos + 200));
    if (declaration) this.pos += declaration[0].length;
    this.skipMisc();
    if (!this.src.startsWith('<xml', this.pos)) throw new XmlMalformed('the root element must be <xml>');
    const { name, value } = this.element(0);
    if (name !== 'xml') throw new XmlMalformed('the root element must be <xml>');
    this.skipMisc();
    if (this.pos !== this.src.length) throw new XmlMalformed('content after the root element');
    if (typeof value === 'string') {
      if (value.trim() !== '') throw new XmlMalformed('the root element holds text, not fields');
      return {};
    }
    return value;
  }

  /** Reads `<name …>content</name>` or `<name …/>` starting at `<`. */
  private element(depth: number): { name: string; value: string | XmlRecord } {
    if (depth > MAX_DEPTH) throw new XmlMalformed('elements nested too deeply');
    const tagEnd = this.src.indexOf('>', this.pos);
    if (tagEnd === -1) throw new XmlMalformed('unterminated start tag');
    const tag = this.src.slice(this.pos + 1, tagEnd);
    const selfClosing = tag.endsWith('/');
    const inner = selfClosing ? tag.slice(0, -1) : tag;
    const nameEnd = inner.search(/\s|$/);
    const name = inner.slice(0, nameEnd);
    checkName(name);
    checkAttributes(inner.slice(nameEnd));
    this.pos = tagEnd + 1;
    if (selfClosing) return { name, value: '' };

    const children: XmlRecord = {};
    let hasChildren = false;
    let text = '';
    for (;;) {
      const lt = this.src.indexOf('<', this.pos);
      if (lt === -1) throw new XmlMalformed(`<${name}> is not closed`);
      text += decodeText(this.src.slice(this.pos, lt));
      this.pos = lt;
      if (this.src.startsWith('</', lt)) {
        const close = this.src.indexOf('>', lt);
        if (close === -1 || this.src.slice(lt + 2, close).trimEnd() !== name) {
          throw new XmlMalformed(`<${name}> is closed by a different tag`);
        }
        this.pos = close + 1;
        break;
      }
      if (this.src.startsWith('<![CDATA[', lt)) {
        const end = this.src.indexOf(']]>', lt + 9);
        if (end === -1) throw new XmlMalformed('unterminated CDATA section');
        text += this.src.slice(lt + 9, end);
        this.pos = end + 3;
        continue;
      }
      if (this.src.startsWith('<!--', lt)) {
        this.skipComment();
        continue;
      }
      const child = this.element(depth + 1);
      hasChildren = true;
      addChild(children, child.name, child.value);
    }

    if (!hasChildren) return { name, value: text };
    // WeChat never mixes text and elements; whitespace between elements is layout.
    if (text.trim() !== '') throw new XmlMalformed(`<${name}> mixes text and elements`);
    return { name, value: children };
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && isSpace(this.src.charCodeAt(this.pos))) this.pos++;
  }

  private skipMisc(): void {
    for (;;) {
      this.skipSpace();
      if (!this.src.startsWith('<!--', this.pos)) return;
      this.skipComment();
    }
  }

  private skipComment(): void {
    const end = this.src.indexOf('-->', this.pos + 4);
    if (end === -1) throw new XmlMalformed('unterminated comment');
    this.pos = end + 3;
  }
}

function addChild(parent: XmlRecord, name: string, value: string | XmlRecord): void {
  const existing = parent[name];
  if (existing === undefined) {
    parent[name] = LIST_ELEMENTS.has(name) ? [value] : value;
  } else if (Array.isArray(existing)) {
    existing.push(value);
  } else {
    parent[name] = [existing, value];
  }
}

function checkName(name: string): void {
  if (!NAME.test(name)) throw new XmlMalformed('invalid element name');
  // `parent[name] = …` with "__proto__" would replace the record's prototype.
  if (name === '__proto__') throw new XmlMalformed('invalid element name');
}

// Attributes carry nothing in WeChat's XML; they are checked for well-formedness and dropped.
const ATTRIBUTES = /^(?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*$/;
function checkAttributes(rest: string): void {
  if (rest !== '' && !ATTRIBUTES.test(rest)) throw new XmlMalformed('malformed start tag');
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** Decodes the five predefined entities and numeric character references; any other `&` is malformed. */
function decodeText(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s]{0,10});?/g, (match, ref: string) => {
    if (!match.endsWith(';')) throw new XmlMalformed('bare "&" in text');
    if (Object.hasOwn(PREDEFINED, ref)) return PREDEFINED[ref] as string;
    const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(ref);
    if (!numeric) throw new XmlMalformed(`undefined entity &${ref};`);
    const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2] ?? '', 10);
    if (!isXmlChar(code)) throw new XmlMalformed('character reference to a character XML does not allow');
    return String.fromCodePoint(code);
  });
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 || code === 0xa || code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

export type XmlBuildValue = string | number | XmlBuildRecord | XmlBuildValue[];
export interface XmlBuildRecord {
  [name: string]: XmlBuildValue;
}

/**
 * Builds `<xml>…</xml>`: strings in CDATA, numbers bare, records as nested elements and arrays as
 * repeated elements (`{ Articles: { item: [a, b] } }`). Field order is the record's key order.
 */
export function buildXml(fields: XmlBuildRecord): string {
  return `<xml>${buildFields(fields)}</xml>`;
}

function buildFields(fields: XmlBuildRecord): string {
  let out = '';
  for (const [name, value] of Object.entries(fields)) {
    if (!NAME.test(name)) throw new TypeError(`invalid XML element name: ${name}`);
    for (const one of Array.isArray(value) ? value : [value]) {
      if (Array.isArray(one)) throw new TypeError(`nested arrays cannot be written as XML (${name})`);
      out += `<${name}>${buildValue(name, one)}</${name}>`;
    }
  }
  return out;
}

function buildValue(name: string, value: string | number | XmlBuildRecord): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${name} must be a finite number`);
    return String(value);
  }
  if (typeof value === 'string') return cdata(value);
  return buildFields(value);
}

// Characters XML 1.0 does not allow even inside CDATA; WeChat rejects a reply that holds them.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Wraps text in CDATA; a "]]>" inside is split across two sections so it cannot end the first early. */
function cdata(text: string): string {
  return `<![CDATA[${text.replace(NOT_XML_CHARS, '').replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
