import { describe, expect, it } from 'vitest';
import { loginKind, toBrief } from './accounts.repo.js';

const base = { id: 7, username: 'zhangsan', displayName: '张三', avatarUrl: null, vip: false, unitAdmin: false, internalStaff: false };

describe('toBrief', () => {
  it('makes everyone a customer, without badges', () => {
    expect(toBrief(base)).toEqual({ ...{ id: 7, username: 'zhangsan', displayName: '张三', avatarUrl: null }, roles: ['customer'], badges: [] });
  });

  it('adds VIP, unit administrator and internal staff with the manual\'s badges', () => {
    expect(toBrief({ ...base, vip: true, unitAdmin: true, internalStaff: true })).toMatchObject({
      roles: ['customer', 'vip', 'unit_admin', 'internal'],
      badges: ['VIP', 'TAD', '管理员'],
    });
    expect(toBrief({ ...base, unitAdmin: true })).toMatchObject({ roles: ['customer', 'unit_admin'], badges: ['管理员'] });
  });
});

describe('loginKind', () => {
  it.each([
    ['a@b.cn', 'email'],
    ['13812345678', 'mobile'],
    ['zhangsan', 'username'],
    ['1381234567', 'username'],
  ])('reads %s as %s', (login, kind) => {
    expect(loginKind(login)).toBe(kind);
  });
});
