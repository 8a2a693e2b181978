import { describe, expect, it } from 'vitest';
import { parseWeChatJson } from './wechat-json.js';

describe('parseWeChatJson', () => {
  it('keeps a msgid beyond 2^53 as its exact decimal string', () => {
    expect(parseWeChatJson('{"errcode":0,"errmsg":"ok","msgid":9007199254740993}')).toEqual({ errcode: 0, errmsg: 'ok', msgid: '9007199254740993' });
    expect(parseWeChatJson('{ "msgid" : 18446744073709551615 }')).toEqual({ msgid: '18446744073709551615' });
  });

  it('quotes small ids too, so that an id is always a string', () => {
    expect(parseWeChatJson('{"msg_id":1000,"msg_data_id":2}')).toEqual({ msg_id: '1000', msg_data_id: '2' });
  });

  it('leaves other numbers, quoted ids and look-alikes inside strings alone', () => {
    const text = JSON.stringify({ errcode: 0, expires_in: 7200, note: ',"msgid":12345678901234567890}', nested: { msgid: 'already' } });
    expect(parseWeChatJson(text)).toEqual({ errcode: 0, expires_in: 7200, note: ',"msgid":12345678901234567890}', nested: { msgid: 'already' } });
    expect(parseWeChatJson('{"list":[{"msgid":1},{"msgid":2}],"x":1.5}')).toEqual({ list: [{ msgid: '1' }, { msgid: '2' }], x: 1.5 });
  });

  it('does not touch a non-integer value', () => {
    expect(parseWeChatJson('{"msgid":1.5e3}')).toEqual({ msgid: 1500 });
  });
});
