import { describe, expect, it } from 'vitest';
import { createCipher } from './crypto.js';
import { encryptReply, imageReply, newsReply, textReply, transferCustomerServiceReply } from './reply.js';
import { msgSignature } from './signature.js';
import { parseWeChatXml } from './xml.js';

const envelope = { toUser: 'oUser123', fromUser: 'gh_account', createTime: 1700000000 };
const article = (n: number) => ({ title: `标题${n}`, description: `描述${n}`, picUrl: `https://p/${n}.jpg`, url: `https://u/${n}` });

describe('textReply', () => {
  it('writes the reply XML with CreateTime in seconds', () => {
    expect(textReply({ ...envelope, content: '您好' })).toBe(
      '<xml><ToUserName><![CDATA[oUser123]]></ToUserName><FromUserName><![CDATA[gh_account]]></FromUserName>' +
        '<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[您好]]></Content></xml>',
    );
  });

  it.each(['', ' ', '\n\t', '\u3000'])('returns null for content %j, never an empty-Content XML', (content) => {
    expect(textReply({ ...envelope, content })).toBeNull();
  });

  it('keeps "]]>" in the content intact', () => {
    expect(parseWeChatXml(textReply({ ...envelope, content: 'a]]>b' }) ?? '').Content).toBe('a]]>b');
  });

  it.each([Date.now(), 1.5, -1])('refuses createTime %s, which is not whole seconds', (createTime) => {
    expect(() => textReply({ ...envelope, createTime, content: 'x' })).toThrow(RangeError);
  });
});

describe('imageReply', () => {
  it('writes the media id under Image', () => {
    expect(parseWeChatXml(imageReply({ ...envelope, mediaId: 'MEDIA' }) ?? '')).toEqual({
      ToUserName: 'oUser123', FromUserName: 'gh_account', CreateTime: '1700000000', MsgType: 'image', Image: { MediaId: 'MEDIA' },
    });
  });

  it('returns null without a media id', () => {
    expect(imageReply({ ...envelope, mediaId: ' ' })).toBeNull();
  });
});

describe('newsReply', () => {
  it('writes ArticleCount and one item per article', () => {
    const fields = parseWeChatXml(newsReply({ ...envelope, articles: [article(1), article(2)] }) ?? '');
    expect(fields.MsgType).toBe('news');
    expect(fields.ArticleCount).toBe('2');
    expect(fields.Articles).toEqual({
      item: [
        { Title: '标题1', Description: '描述1', PicUrl: 'https://p/1.jpg', Url: 'https://u/1' },
        { Title: '标题2', Description: '描述2', PicUrl: 'https://p/2.jpg', Url: 'https://u/2' },
      ],
    });
  });

  it('accepts 8 articles and refuses 9', () => {
    const eight = Array.from({ length: 8 }, (_, i) => article(i));
    expect(parseWeChatXml(newsReply({ ...envelope, articles: eight }) ?? '').ArticleCount).toBe('8');
    expect(() => newsReply({ ...envelope, articles: [...eight, article(9)] })).toThrow(RangeError);
  });

  it('returns null for no articles', () => {
    expect(newsReply({ ...envelope, articles: [] })).toBeNull();
  });
});

describe('transferCustomerServiceReply', () => {
  it('hands the chat to WeChat’s desk, to one account when given', () => {
    expect(parseWeChatXml(transferCustomerServiceReply(envelope)).MsgType).toBe('transfer_customer_service');
    expect(parseWeChatXml(transferCustomerServiceReply({ ...envelope, kfAccount: 'kf1@gh' })).TransInfo).toEqual({ KfAccount: 'kf1@gh' });
  });
});

describe('encryptReply', () => {
  const cipher = createCipher('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', 'wxappid');

  it('writes Encrypt, MsgSignature, TimeStamp and Nonce that verify and decrypt to the reply', () => {
    const reply = textReply({ ...envelope, content: '您好' }) ?? '';
    const sealed = encryptReply(cipher, 'tok', reply, 1700000001, '12345');
    expect(sealed).toMatch(/^<xml><Encrypt><!\[CDATA\[[^\]]+\]\]><\/Encrypt><MsgSignature><!\[CDATA\[[0-9a-f]{40}\]\]><\/MsgSignature><TimeStamp>1700000001<\/TimeStamp><Nonce><!\[CDATA\[12345\]\]><\/Nonce><\/xml>$/);
    const fields = parseWeChatXml(sealed);
    expect(fields.MsgSignature).toBe(msgSignature('tok', '1700000001', '12345', fields.Encrypt as string));
    expect(cipher.decrypt(fields.Encrypt as string)).toBe(reply);
  });

  it('refuses a timestamp that is not whole seconds', () => {
    expect(() => encryptReply(cipher, 'tok', '<xml/>', '17e8', '1')).toThrow(TypeError);
  });
});
