import { describe, expect, it } from 'vitest';
import { POINT_RULES, pointLabel } from './points.js';

describe('the point rules', () => {
  it('define the activities the issue names, each with a positive amount and a Chinese label', () => {
    for (const reason of ['ask_question', 'first_read', 'favourite', 'survey'] as const) {
      expect(POINT_RULES[reason].points).toBeGreaterThan(0);
      expect(POINT_RULES[reason].label).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('give every rule a distinct label', () => {
    const labels = Object.values(POINT_RULES).map((r) => r.label);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('labels a known reason in Chinese and shows an unknown one as itself', () => {
    expect(pointLabel('survey')).toBe(POINT_RULES.survey.label);
    expect(pointLabel('retired_rule')).toBe('retired_rule');
  });
});
