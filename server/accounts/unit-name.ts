/**
 * The one normalisation a unit's full name gets before the service-code lookup compares it:
 * NFKC (full-width letters, digits, brackets and the ideographic space become half-width),
 * runs of white space become one space, and the ends are trimmed. Nothing else: the lookup is
 * exact so that codes cannot be harvested by guessing short names (DESIGN.md §1 服务编码).
 */
export function normaliseUnitName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

