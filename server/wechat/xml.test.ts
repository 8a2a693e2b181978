import { describe, expect, it } from 'vitest';
import { buildXml, parseWeChatXml, XmlForbidden, XmlMalformed } from './xml.js';

const text = (fields: string) => `<xml>${fields}</xml>`;

/** The fastest of several runs, so a GC pause on a busy machine does not fail the test. */
function fastestMs(run: () => void, times = 20): number {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const XXE = `<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xml><ToUserName>&xxe;</ToUserName></xml>`;

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<xml><Content>&lol9;</Content></xml>`;

/** Pads a body to about 64 KB with entity references, the worst case for an expanding parser. */
const pad64k = (body: string) => body.replace('</xml>', `<Pad>${'&lol9;'.repeat(64 * 1024 / 6)}</Pad></xml>`).slice(0, 64 * 1024);

describe('parseWeChatXml', () => {
  it('reads a text push with CDATA and keeps every value a string', () => {
    const fields = parseWeChatXml(`<xml>
      <ToUserName><![CDATA[gh_123]]></ToUserName>
      <FromUserName><![CDATA[oUser]]></FromUserName>
      <CreateTime>1700000000</CreateTime>
      <MsgType><![CDATA[text]]></MsgType>
      <Content><![CDATA[你好 <b>&amp;</b>]]></Content>
      <MsgId>1234567890123456789</MsgId>
    </xml>`);
    expect(fields).toEqual({
      ToUserName: 'gh_123',
      FromUserName: 'oUser',
      CreateTime: '1700000000',
      MsgType: 'text',
      Content: '你好 <b>&amp;</b>',
      MsgId: '1234567890123456789',
    });
  });

  it('keeps a MsgId above 2^53 exact', () => {
    const id = '9223372036854775807';
    expect(BigInt(2 ** 53) < BigInt(id)).toBe(true);
    expect(parseWeChatXml(text(`<MsgId>${id}</MsgId>`)).MsgId).toBe(id);
  });

  it('accepts a leading XML declaration, a BOM and comments', () => {
    expect(parseWeChatXml('\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- hi --><xml><A>1</A><!-- x --></xml>\n'))
      .toEqual({ A: '1' });
  });

  it('decodes the five predefined entities and numeric references outside CDATA', () => {
    expect(parseWeChatXml(text('<A>&lt;&gt;&amp;&apos;&quot;&#20320;&#x597D;&#x1F600;</A>')).A).toBe(`<>&'"你好😀`);
  });

  it('drops raw control characters (XML allows none but tab, LF and CR), in CDATA and in text', () => {
    expect(parseWeChatXml(text('<A><![CDATA[发\u0000票\u0007\t\n\r\u001f开]]></A><B>x\u0000y\uffff</B>'))).toEqual({ A: '发票\t\n\r开', B: 'xy' });
  });

  it('reads an empty and a self-closing element as the empty string', () => {
    expect(parseWeChatXml(text('<A></A><B/><C />'))).toEqual({ A: '', B: '', C: '' });
  });

  it('joins text split across CDATA sections', () => {
    expect(parseWeChatXml(text('<A><![CDATA[a]]]]><![CDATA[>b]]></A>')).A).toBe('a]]>b');
  });

  it('reads nested elements as records and item lists as arrays', () => {
    const fields = parseWeChatXml(text(`
      <ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo>
      <SendPicsInfo><Count>2</Count><PicList>
        <item><PicMd5Sum><![CDATA[aaa]]></PicMd5Sum></item>
        <item><PicMd5Sum><![CDATA[bbb]]></PicMd5Sum></item>
      </PicList></SendPicsInfo>
      <Single><PicList><item><PicMd5Sum>ccc</PicMd5Sum></item></PicList></Single>`));
    expect(fields.ScanCodeInfo).toEqual({ ScanType: 'qrcode', ScanResult: '1' });
    expect(fields.SendPicsInfo).toEqual({ Count: '2', PicList: { item: [{ PicMd5Sum: 'aaa' }, { PicMd5Sum: 'bbb' }] } });
    expect(fields.Single).toEqual({ PicList: { item: [{ PicMd5Sum: 'ccc' }] } });
  });

  it('reads a repeated element as an array', () => {
    expect(parseWeChatXml(text('<A>1</A><A>2</A>')).A).toEqual(['1', '2']);
  });

  it('ignores well-formed attributes', () => {
    expect(parseWeChatXml('<xml a="1"><A b=\'2\'>x</A></xml>')).toEqual({ A: 'x' });
  });

  it('does not mistake "<!DOCTYPE" typed by a user inside CDATA for a declaration', () => {
    expect(parseWeChatXml(text('<Content><![CDATA[<!DOCTYPE x><?php ?>]]></Content>')).Content).toBe('<!DOCTYPE x><?php ?>');
  });

  it('cannot replace the record prototype', () => {
    expect(() => parseWeChatXml(text('<__proto__><polluted>1</polluted></__proto__>'))).toThrow(XmlMalformed);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['an external entity (XXE)', XXE],
    ['a billion-laughs body', BILLION_LAUGHS],
    ['a DOCTYPE without entities', '<!DOCTYPE xml><xml/>'],
    ['a lower-case doctype', '<!doctype xml><xml/>'],
    ['an ENTITY declaration inside the root', '<xml><!ENTITY a "b"></xml>'],
    ['a processing instruction', '<xml><?php echo 1 ?></xml>'],
    ['a stylesheet instruction after the declaration', '<?xml version="1.0"?><?xml-stylesheet href="x"?><xml/>'],
    ['an XML declaration that is not first', '<xml/><?xml version="1.0"?>'],
  ])('refuses %s as forbidden', (_label, body) => {
    expect(() => parseWeChatXml(body)).toThrow(XmlForbidden);
  });

  it.each([
    ['an XXE', XXE],
    ['a billion-laughs', BILLION_LAUGHS],
  ])('refuses a 64 KB %s body in well under 1 ms', (_label, body) => {
    const big = pad64k(body);
    expect(big.length).toBeGreaterThan(60_000);
    expect(() => parseWeChatXml(big)).toThrow(XmlForbidden);
    const ms = fastestMs(() => {
      try {
        parseWeChatXml(big);
      } catch {
        // expected
      }
    });
    expect(ms).toBeLessThan(1);
  });

  it('parses a valid 64 KB body in linear time', () => {
    const body = text(`<Content><![CDATA[${'字'.repeat(20_000)}]]></Content>${'<A>&amp;</A>'.repeat(2_000)}`);
    expect(fastestMs(() => parseWeChatXml(body), 5)).toBeLessThan(20);
  });

  it.each([
    ['an empty body', ''],
    ['garbage', 'hello world'],
    ['JSON', '{"ToUserName":"x"}'],
    ['a missing <xml> root', '<root><A>1</A></root>'],
    ['a root named like xml but longer', '<xmlx></xmlx>'],
    ['an unclosed root', '<xml><A>1</A>'],
    ['an unclosed element', '<xml><A>1</xml>'],
    ['mismatched tags', '<xml><A>1</B></xml>'],
    ['an unterminated CDATA', '<xml><A><![CDATA[1</A></xml>'],
    ['an unterminated start tag', '<xml><A'],
    ['two roots', '<xml></xml><xml></xml>'],
    ['text after the root', '<xml></xml>tail'],
    ['text at the root', '<xml>text</xml>'],
    ['mixed text and elements', '<xml><A>x<B>1</B></A></xml>'],
    ['an undefined entity', '<xml><A>&nbsp;</A></xml>'],
    ['a bare ampersand', '<xml><A>a & b</A></xml>'],
    ['a reference to NUL', '<xml><A>&#0;</A></xml>'],
    ['a prototype-named entity', '<xml><A>&constructor;</A></xml>'],
    ['an invalid element name', '<xml><1A>1</1A></xml>'],
    ['a malformed attribute', '<xml><A b=1>x</A></xml>'],
    ['elements nested too deeply', `<xml>${'<A>'.repeat(40)}x${'</A>'.repeat(40)}</xml>`],
  ])('refuses %s as malformed', (_label, body) => {
    expect(() => parseWeChatXml(body)).toThrow(XmlMalformed);
  });
});

describe('buildXml', () => {
  it('writes strings in CDATA and numbers bare, in key order', () => {
    expect(buildXml({ ToUserName: 'oUser', CreateTime: 1700000000, Content: '你好' })).toBe(
      '<xml><ToUserName><![CDATA[oUser]]></ToUserName><CreateTime>1700000000</CreateTime><Content><![CDATA[你好]]></Content></xml>',
    );
  });

  it('splits "]]>" so that it cannot close the CDATA section early', () => {
    const xml = buildXml({ Content: 'a]]><script>b]]>' });
    expect(xml).toBe('<xml><Content><![CDATA[a]]]]><![CDATA[><script>b]]]]><![CDATA[>]]></Content></xml>');
    expect(parseWeChatXml(xml).Content).toBe('a]]><script>b]]>');
  });

  it('writes records as nested elements and arrays as repeated elements', () => {
    const xml = buildXml({ Articles: { item: [{ Title: 'a' }, { Title: 'b' }] } });
    expect(xml).toBe('<xml><Articles><item><Title><![CDATA[a]]></Title></item><item><Title><![CDATA[b]]></Title></item></Articles></xml>');
  });

  it('drops characters XML cannot hold', () => {
    expect(buildXml({ A: 'a\u0000b\u0007c\ud800' })).toBe('<xml><A><![CDATA[abc]]></A></xml>');
  });

  it('round-trips through parseWeChatXml', () => {
    const fields = { A: 'x & <y>', B: { C: '1', item: ['p', 'q'] } };
    expect(parseWeChatXml(buildXml(fields))).toEqual(fields);
  });

  it.each([
    ['an invalid element name', { 'bad name': 'x' }],
    ['a non-finite number', { A: Number.NaN }],
  ])('refuses %s', (_label, fields) => {
    expect(() => buildXml(fields)).toThrow(TypeError);
  });
});
