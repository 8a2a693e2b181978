/**
 * WeChat answers carry 64-bit ids (a template msgid) as bare JSON integers, which JSON.parse
 * rounds beyond 2^53. Node 20's JSON.parse gives no access to the source text, so before parsing,
 * the integer value of each known id field is quoted: it arrives as its exact decimal string.
 *
 * The match is textual but safe: it must follow `{` or `,` and end at `,` `}` or `]`; inside a JSON
 * string every `"` is escaped, so a string value can never hold `,"msgid":` and be mistaken for a field.
 */
const ID_FIELDS = ['msgid', 'msg_id', 'msg_data_id'] as const;

const ID_INTEGER = new RegExp(`([{,]\\s*"(?:${ID_FIELDS.join('|')})"\\s*:\\s*)(-?\\d+)(?=\\s*[,}\\]])`, 'g');

export function parseWeChatJson(text: string): unknown {
  return JSON.parse(text.replace(ID_INTEGER, '$1"$2"'));
}
