import { describe, expect, it } from 'vitest';
import { redisNamespace } from './redis-namespace.js';

describe('redisNamespace', () => {
  it.each([
    [undefined, 'wxdesk'],
    ['postgres://u:p@db:5432/wxdesk_prod', 'wxdesk:wxdesk_prod'],
    ['postgresql://db/t_42?sslmode=require', 'wxdesk:t_42'],
    ['postgres://db:5432/', 'wxdesk'],
  ])('%s → %s', (url, expected) => {
    expect(redisNamespace(url)).toBe(expected);
  });

  it('differs between two databases on one server, and is the same for two instances of one', () => {
    expect(redisNamespace('postgres://h/a')).not.toBe(redisNamespace('postgres://h/b'));
    expect(redisNamespace('postgres://x@h/a')).toBe(redisNamespace('postgres://y@h:5432/a'));
  });
});
