import { XMLParser } from 'fast-xml-parser';

/** Fields written without CDATA, like WeChat does (numbers). */
const RAW_FIELDS = new Set(['CreateTime', 'MsgId', 'MsgID', 'Location_X', 'Location_Y', 'Scale', 'Latitude', 'Longitude', 'Precision', 'MenuId']);

export function cdata(value: string): string {
  // "]]>" cannot appear inside a CDATA section: split it across two sections.
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** Renders a flat field map as WeChat push XML, in insertion order. */
export function toXml(fields: Readonly<Record<string, string>>): string {
  const body = Object.entries(fields)
    .map(([name, value]) => `<${name}>${RAW_FIELDS.has(name) && /^-?[\d.]+$/.test(value) ? value : cdata(value)}</${name}>`)
    .join('');
  return `<xml>${body}</xml>`;
}

export type XmlValue = string | XmlRecord | XmlValue[];
export interface XmlRecord {
  [name: string]: XmlValue;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
});

/** Parses `<xml>…</xml>` into its children (leaves as strings). Throws when there is no <xml> root. */
export function parseXml(xml: string): XmlRecord {
  const doc = parser.parse(xml, true) as Record<string, unknown>;
  const root = doc.xml;
  if (root === '' ) return {};
  if (typeof root !== 'object' || root === null || Array.isArray(root)) throw new Error('no <xml> root element');
  return root as XmlRecord;
}

export function field(record: XmlRecord, name: string): string | undefined {
  const v = record[name];
  return typeof v === 'string' ? v : undefined;
}
