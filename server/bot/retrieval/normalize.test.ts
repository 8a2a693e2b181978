import { describe, expect, it } from 'vitest';
import { normalize } from './normalize.js';

const synonyms = {
  登陆: '登录',
  专票: '专用发票',
  加密狗: '加密锁',
  密码忘了: '忘记密码',
  密码: '口令', // shorter key inside a longer one: the longer must win
  GS: 'gs',
};

describe('normalize', () => {
  it.each([
    ['ＥＲＰ１２３', 'erp123'],
    ['怎么　登录？？', '怎么登录'],
    ['GS   ERP!', 'gserp'],
    ['你好😀，请问。。。', '你好请问'],
    ['（服务编码）【查询】', '服务编码查询'],
    ['400-658-6000', '4006586000'],
    ['', ''],
  ])('folds %j to %j', (input, expected) => {
    expect(normalize(input)).toBe(expected);
  });

  it.each([
    ['系统登陆不了', '系统登录不了'],
    ['专票怎么开', '专用发票怎么开'],
    ['加密狗插上没反应', '加密锁插上没反应'],
    ['我密码忘了怎么办', '我忘记密码怎么办'],
    ['修改密码', '修改口令'],
  ])('applies synonyms longest first: %j → %j', (input, expected) => {
    expect(normalize(input, synonyms)).toBe(expected);
  });

  it('matches synonym keys after folding, so a full-width key still applies', () => {
    expect(normalize('ＧＳ登陆', { 'ＧＳ登陆': 'gs登录' })).toBe('gs登录');
  });

  it('does not re-apply a synonym to its own replacement', () => {
    expect(normalize('登陆', { 登陆: '登录', 登录: '登入' })).toBe('登录');
  });

  it('leaves text alone without a synonym table', () => {
    expect(normalize('登陆')).toBe('登陆');
  });
});
