import { describe, expect, it } from 'vitest';
import { BadRequest } from '../http/errors.js';
import { dedupeKey, toInbound, type InboundMessage } from './inbound.js';
import { parseWeChatXml } from './xml.js';

const HEAD = `<ToUserName><![CDATA[gh_account]]></ToUserName>
<FromUserName><![CDATA[oUser123]]></FromUserName>
<CreateTime>1700000000</CreateTime>`;

const push = (rest: string) => toInbound(parseWeChatXml(`<xml>${HEAD}${rest}</xml>`));
const common = { toUserName: 'gh_account', fromUserName: 'oUser123', createTime: 1700000000 };
const BIG_ID = '23456789012345678901';

describe('toInbound', () => {
  it.each<[string, string, Partial<InboundMessage>]>([
    [
      'a text message',
      `<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[#人工]]></Content><MsgId>${BIG_ID}</MsgId>`,
      { kind: 'text', msgType: 'text', content: '#人工', msgId: BIG_ID },
    ],
    [
      'an image message',
      '<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://mmbiz/p.jpg]]></PicUrl><MediaId><![CDATA[m1]]></MediaId><MsgId>1</MsgId>',
      { kind: 'image', picUrl: 'http://mmbiz/p.jpg', mediaId: 'm1', msgId: '1' },
    ],
    [
      'a voice message without recognition',
      '<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[m2]]></MediaId><Format><![CDATA[amr]]></Format><MsgId>2</MsgId>',
      { kind: 'voice', mediaId: 'm2', format: 'amr', msgId: '2' },
    ],
    [
      'a voice message with recognition',
      '<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[m3]]></MediaId><Format><![CDATA[speex]]></Format><Recognition><![CDATA[转人工]]></Recognition><MsgId>3</MsgId>',
      { kind: 'voice', mediaId: 'm3', format: 'speex', recognition: '转人工', msgId: '3' },
    ],
    [
      'a video message',
      '<MsgType><![CDATA[video]]></MsgType><MediaId><![CDATA[v1]]></MediaId><ThumbMediaId><![CDATA[t1]]></ThumbMediaId><MsgId>4</MsgId>',
      { kind: 'video', msgType: 'video', mediaId: 'v1', thumbMediaId: 't1', msgId: '4' },
    ],
    [
      'a short video message',
      '<MsgType><![CDATA[shortvideo]]></MsgType><MediaId><![CDATA[v2]]></MediaId><ThumbMediaId><![CDATA[t2]]></ThumbMediaId><MsgId>5</MsgId>',
      { kind: 'shortvideo', msgType: 'shortvideo', mediaId: 'v2', thumbMediaId: 't2', msgId: '5' },
    ],
    [
      'a location message',
      '<MsgType><![CDATA[location]]></MsgType><Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[广州市天河区]]></Label><MsgId>6</MsgId>',
      { kind: 'location', latitude: 23.134521, longitude: 113.358803, scale: 20, label: '广州市天河区', msgId: '6' },
    ],
    [
      'a link message',
      '<MsgType><![CDATA[link]]></MsgType><Title><![CDATA[公众平台官网链接]]></Title><Description><![CDATA[说明]]></Description><Url><![CDATA[https://mp.weixin.qq.com]]></Url><MsgId>7</MsgId>',
      { kind: 'link', title: '公众平台官网链接', description: '说明', url: 'https://mp.weixin.qq.com', msgId: '7' },
    ],
    [
      'a plain subscribe',
      '<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[]]></EventKey>',
      { kind: 'subscribe', msgType: 'event', event: 'subscribe' },
    ],
    [
      'a subscribe by parametric QR code',
      '<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[qrscene_123123]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>',
      { kind: 'subscribe', event: 'subscribe', scene: '123123', ticket: 'TICKET' },
    ],
    [
      'an unsubscribe',
      '<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[unsubscribe]]></Event>',
      { kind: 'unsubscribe', event: 'unsubscribe' },
    ],
    [
      'a SCAN by a follower',
      '<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[SCAN]]></Event><EventKey><![CDATA[SCENE_VALUE]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>',
      { kind: 'scan', event: 'SCAN', scene: 'SCENE_VALUE', ticket: 'TICKET' },
    ],
    [
      'a menu CLICK',
      '<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[WEIKEFU]]></EventKey>',
      { kind: 'click', event: 'CLICK', key: 'WEIKEFU' },
    ],
    [
      'a menu VIEW',
      '<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[VIEW]]></Event><EventKey><![CDATA[https://h5.example.com/kb]]></EventKey><MenuId>41</MenuId>',
      { kind: 'view', event: 'VIEW', url: 'https://h5.example.com/kb' },
    ],
    [
      'a LOCATION report',
      '<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[LOCATION]]></Event><Latitude>23.137466</Latitude><Longitude>113.352425</Longitude><Precision>119.385040</Precision>',
      { kind: 'location_report', event: 'LOCATION', latitude: 23.137466, longitude: 113.352425, precision: 119.38504 },
    ],
  ])('reads %s', (_label, rest, expected) => {
    const msg = push(rest);
    expect(msg).toMatchObject({ ...common, ...expected });
    expect(msg.raw.FromUserName).toBe('oUser123');
  });

  it('leaves out recognition and scene when WeChat does not send them', () => {
    expect(push('<MsgType>voice</MsgType><MediaId>m</MediaId><Format>amr</Format><MsgId>1</MsgId>')).not.toHaveProperty('recognition');
    expect(push('<MsgType>event</MsgType><Event>subscribe</Event>')).not.toHaveProperty('scene');
  });

  it('keeps an empty text message as text with empty content', () => {
    expect(push('<MsgType>text</MsgType><Content></Content><MsgId>9</MsgId>')).toMatchObject({ kind: 'text', content: '' });
  });

  it('reads an event name in another case', () => {
    expect(push('<MsgType>event</MsgType><Event>click</Event><EventKey>K</EventKey>')).toMatchObject({ kind: 'click', key: 'K' });
  });

  it.each([
    ['an unknown message type', '<MsgType>miniprogrampage</MsgType><Title>t</Title><MsgId>77</MsgId>', { msgType: 'miniprogrampage', msgId: '77' }],
    ['an unknown event', '<MsgType>event</MsgType><Event>TEMPLATESENDJOBFINISH</Event><Status>success</Status>', { msgType: 'event', event: 'TEMPLATESENDJOBFINISH' }],
    ['a scancode event with nested fields', '<MsgType>event</MsgType><Event>scancode_waitmsg</Event><EventKey>k</EventKey><ScanCodeInfo><ScanType>qrcode</ScanType><ScanResult>r</ScanResult></ScanCodeInfo>', { event: 'scancode_waitmsg' }],
    ['a known type missing its own field', '<MsgType>image</MsgType><MsgId>8</MsgId>', { msgType: 'image', msgId: '8' }],
    ['a location with a non-numeric coordinate', '<MsgType>location</MsgType><Location_X>0x10</Location_X><Location_Y>1</Location_Y><Scale>1</Scale><MsgId>8</MsgId>', { msgType: 'location' }],
  ])('reads %s as unknown, keeping the raw fields', (_label, rest, expected) => {
    const msg = push(rest);
    expect(msg).toMatchObject({ ...common, kind: 'unknown', ...expected });
    expect(msg.raw.MsgType).toBeDefined();
  });

  it('keeps nested fields of an unknown event in raw', () => {
    const msg = push('<MsgType>event</MsgType><Event>scancode_push</Event><ScanCodeInfo><ScanType>qrcode</ScanType></ScanCodeInfo>');
    expect(msg.raw.ScanCodeInfo).toEqual({ ScanType: 'qrcode' });
  });

  it.each([
    ['ToUserName', '<FromUserName>o</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType>'],
    ['FromUserName', '<ToUserName>g</ToUserName><CreateTime>1</CreateTime><MsgType>text</MsgType>'],
    ['CreateTime', '<ToUserName>g</ToUserName><FromUserName>o</FromUserName><MsgType>text</MsgType>'],
    ['MsgType', '<ToUserName>g</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime>'],
  ])('refuses a push without %s', (_field, fields) => {
    expect(() => toInbound(parseWeChatXml(`<xml>${fields}</xml>`))).toThrow(BadRequest);
  });

  it.each(['0', '10000000000', '999999999999'])('refuses CreateTime %s, outside the range a timestamp column holds', (t) => {
    expect(() => toInbound(parseWeChatXml(`<xml><ToUserName>g</ToUserName><FromUserName>o</FromUserName><CreateTime>${t}</CreateTime><MsgType>text</MsgType></xml>`)))
      .toThrow('CreateTime is out of range');
  });

  it('accepts the last ten-digit CreateTime', () => {
    expect(toInbound(parseWeChatXml('<xml><ToUserName>g</ToUserName><FromUserName>o</FromUserName><CreateTime>9999999999</CreateTime><MsgType>text</MsgType><MsgId>1</MsgId><Content>x</Content></xml>')).createTime)
      .toBe(9_999_999_999);
  });

  it('refuses a CreateTime that is not a number of seconds', () => {
    expect(() => toInbound(parseWeChatXml('<xml><ToUserName>g</ToUserName><FromUserName>o</FromUserName><CreateTime>soon</CreateTime><MsgType>text</MsgType></xml>')))
      .toThrow(BadRequest);
  });
});

describe('dedupeKey', () => {
  it('keys a message by its sender and exact MsgId', () => {
    expect(dedupeKey(push(`<MsgType>text</MsgType><Content>hi</Content><MsgId>${BIG_ID}</MsgId>`))).toBe(`msg:oUser123:${BIG_ID}`);
  });

  it('keys an unknown message type that has a MsgId by sender and MsgId', () => {
    expect(dedupeKey(push('<MsgType>miniprogrampage</MsgType><MsgId>55</MsgId>'))).toBe('msg:oUser123:55');
  });

  it('gives the same MsgId from two senders two keys', () => {
    const body = '<MsgType>text</MsgType><Content>hi</Content><MsgId>55</MsgId>';
    const other = toInbound(parseWeChatXml(`<xml><ToUserName>gh_1</ToUserName><FromUserName>oOther</FromUserName><CreateTime>1700000000</CreateTime>${body}</xml>`));
    expect(dedupeKey(other)).not.toBe(dedupeKey(push(body)));
  });

  it('keys an event by sender, time and event name', () => {
    expect(dedupeKey(push('<MsgType>event</MsgType><Event>CLICK</Event><EventKey>K</EventKey>'))).toBe('evt:oUser123:1700000000:CLICK');
  });

  it('gives a retry of the same event the same key', () => {
    const body = '<MsgType>event</MsgType><Event>subscribe</Event>';
    expect(dedupeKey(push(body))).toBe(dedupeKey(push(body)));
  });

  it('does not merge two different events from one user in the same second', () => {
    const follow = push('<MsgType>event</MsgType><Event>subscribe</Event><EventKey>qrscene_1</EventKey>');
    const location = push('<MsgType>event</MsgType><Event>LOCATION</Event><Latitude>1</Latitude><Longitude>2</Longitude><Precision>3</Precision>');
    expect(dedupeKey(follow)).not.toBe(dedupeKey(location));
  });

  it('keys an unknown event by its event name', () => {
    expect(dedupeKey(push('<MsgType>event</MsgType><Event>MASSSENDJOBFINISH</Event>'))).toBe('evt:oUser123:1700000000:MASSSENDJOBFINISH');
  });
});
