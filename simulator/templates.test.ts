import { describe, expect, it } from 'vitest';
import { renderTemplate } from './templates.js';

describe('template messages as WeChat shows them', () => {
  it('labels each field as the template content defines it, with first and remark apart', () => {
    const t = renderTemplate('application_result', { first: '您的VIP申请已通过', keyword1: 'VIP', keyword2: '已通过', keyword3: '2026-12-04 10:00', remark: '感谢您的支持' });
    expect(t).toEqual({
      title: '审核结果通知',
      first: '您的VIP申请已通过',
      rows: [
        { label: '申请类型', value: 'VIP' },
        { label: '审核结果', value: '已通过' },
        { label: '审核时间', value: '2026-12-04 10:00' },
      ],
      remark: '感谢您的支持',
    });
  });

  it('shows a field the message left out as empty, and a template it does not know with field names', () => {
    expect(renderTemplate('application_result', { keyword1: 'VIP' }).rows.map((r) => r.value)).toEqual(['VIP', '', '']);
    expect(renderTemplate('TPL_X', { first: '有新回复', thing1: '发票问题', remark: '点击查看' })).toEqual({
      title: 'TPL_X',
      first: '有新回复',
      rows: [{ label: 'thing1', value: '发票问题' }],
      remark: '点击查看',
    });
  });
});
