import { describe, expect, it } from 'vitest';
import { createMsgIdGenerator, createPushFactory, pushToXml } from './pushes.js';
import { parseXml } from './xml.js';

const at = Date.UTC(2025, 0, 6, 2, 0, 0);
const build = createPushFactory({ accountId: 'gh_0123456789ab', now: () => at });
const U = 'oUser000000000000000000000001';

describe('push builders', () => {
  const cases: Array<[string, ReturnType<typeof build.text>, Record<string, string>]> = [
    ['a text message', build.text(U, '你好'), { MsgType: 'text', Content: '你好' }],
    ['an image message', build.image(U, 'http://p/1.jpg', 'MEDIA'), { MsgType: 'image', PicUrl: 'http://p/1.jpg', MediaId: 'MEDIA' }],
    ['a voice message', build.voice(U, 'M', '你好'), { MsgType: 'voice', MediaId: 'M', Format: 'amr', Recognition: '你好' }],
    ['a video message', build.video(U, 'M', 'T'), { MsgType: 'video', MediaId: 'M', ThumbMediaId: 'T' }],
    ['a short video message', build.shortvideo(U, 'M', 'T'), { MsgType: 'shortvideo', MediaId: 'M', ThumbMediaId: 'T' }],
    ['a location message', build.location(U, { x: 36.65, y: 117.12, scale: 16, label: '济南' }), { MsgType: 'location', Location_X: '36.65', Location_Y: '117.12', Scale: '16', Label: '济南' }],
    ['a link message', build.link(U, { title: 'T', description: 'D', url: 'http://u' }), { MsgType: 'link', Title: 'T', Description: 'D', Url: 'http://u' }],
    ['a plain subscribe', build.subscribe(U), { MsgType: 'event', Event: 'subscribe' }],
    ['a subscribe by scan', build.subscribe(U, { scene: '123', ticket: 'TK' }), { MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_123', Ticket: 'TK' }],
    ['an unsubscribe', build.unsubscribe(U), { MsgType: 'event', Event: 'unsubscribe' }],
    ['a scan by a follower', build.scan(U, { scene: '123', ticket: 'TK' }), { MsgType: 'event', Event: 'SCAN', EventKey: '123', Ticket: 'TK' }],
    ['a menu click', build.click(U, 'CHAT'), { MsgType: 'event', Event: 'CLICK', EventKey: 'CHAT' }],
    ['a menu view', build.view(U, 'https://h5/x'), { MsgType: 'event', Event: 'VIEW', EventKey: 'https://h5/x' }],
    ['a location report', build.locationEvent(U, { latitude: 36.6, longitude: 117.1, precision: 30 }), { MsgType: 'event', Event: 'LOCATION', Latitude: '36.6', Longitude: '117.1', Precision: '30' }],
  ];
  it.each(cases)('builds %s that parses back to its fields', (_name, push, fields) => {
    const parsed = parseXml(pushToXml(push));
    expect(parsed).toMatchObject({ ToUserName: 'gh_0123456789ab', FromUserName: U, CreateTime: String(at / 1000), ...fields });
    expect(parsed.MsgId !== undefined).toBe(fields.MsgType !== 'event');
  });

  it('writes CreateTime in seconds and MsgId without CDATA, text in CDATA', () => {
    const xml = pushToXml(build.text(U, 'a]]>b'));
    expect(xml).toMatch(/<CreateTime>\d{10}<\/CreateTime>/);
    expect(xml).toMatch(/<MsgId>\d+<\/MsgId>/);
    expect(parseXml(xml).Content).toBe('a]]>b');
  });
});

describe('MsgId', () => {
  it('is a unique decimal string, half of them above 2^53', () => {
    const next = createMsgIdGenerator();
    const ids = Array.from({ length: 100 }, next);
    expect(new Set(ids).size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^\d+$/);
    const big = ids.filter((id) => BigInt(id) > 2n ** 53n);
    expect(big.length).toBe(50);
    for (const id of big) expect(BigInt(id) < 2n ** 64n).toBe(true);
  });
});
