/**
 * The template messages this simulated Official Account has added from WeChat's template
 * library, and how WeChat shows one: the template's title, the `first` line, one "label：value"
 * row per field as the template's content defines it, the `remark` line, and 详情 when it links.
 * An id the library does not hold is still shown (WeChat would refuse it; tests send any id), with
 * its field names as labels.
 */

export interface TemplateDefinition {
  readonly title: string;
  /** WeChat's content format: one line per field, "label：{{key.DATA}}", first and remark bare. */
  readonly content: string;
}

export interface RenderedTemplate {
  readonly title: string;
  readonly first: string | null;
  readonly rows: ReadonlyArray<{ readonly label: string; readonly value: string }>;
  readonly remark: string | null;
}

export const TEMPLATE_LIBRARY: Readonly<Record<string, TemplateDefinition>> = {
  // The application-result notice the server sends by default (审核结果通知 in the library).
  application_result: {
    title: '审核结果通知',
    content: '{{first.DATA}}\n申请类型：{{keyword1.DATA}}\n审核结果：{{keyword2.DATA}}\n审核时间：{{keyword3.DATA}}\n{{remark.DATA}}',
  },
};

const FIELD = /^(?:(.+?)[：:])?\s*\{\{\s*([A-Za-z0-9_]+)\.DATA\s*\}\}\s*$/;

export function renderTemplate(templateId: string, data: Readonly<Record<string, string>>, library = TEMPLATE_LIBRARY): RenderedTemplate {
  const def = library[templateId];
  const first = data.first ?? null;
  const remark = data.remark ?? null;
  if (!def) {
    const rows = Object.entries(data)
      .filter(([k]) => k !== 'first' && k !== 'remark')
      .map(([label, value]) => ({ label, value }));
    return { title: templateId, first, rows, remark };
  }
  const rows: Array<{ label: string; value: string }> = [];
  for (const line of def.content.split('\n')) {
    const m = FIELD.exec(line.trim());
    if (!m) continue;
    const [, label, key] = m;
    if (key === 'first' || key === 'remark' || !label) continue;
    rows.push({ label: label.trim(), value: data[key!] ?? '' });
  }
  return { title: def.title, first, rows, remark };
}
