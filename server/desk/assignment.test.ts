import { describe, expect, it } from 'vitest';
import { pickAgent, planAssignments, type AgentLoad } from './assignment.js';

const agent = (id: number, active: number, maxConcurrent = 5, lastAssignedAt: number | null = null): AgentLoad => ({ id, active, maxConcurrent, lastAssignedAt });
const chats = (...ids: number[]) => ids.map((conversationId) => ({ conversationId, avoidStaffId: null }));

describe('automatic assignment', () => {
  it.each([
    ['the most free capacity', [agent(1, 3), agent(2, 1)], 2],
    ['free capacity, not fewest chats', [agent(1, 1, 2), agent(2, 2, 5)], 2],
    ['the longest wait on a tie', [agent(1, 1, 5, 2000), agent(2, 1, 5, 1000)], 2],
    ['never-assigned first on a tie', [agent(1, 1, 5, 1000), agent(2, 1, 5, null)], 2],
    ['nobody when all are full', [agent(1, 5), agent(2, 2, 2)], undefined],
  ])('picks by %s', (_name, agents, expected) => {
    expect(pickAgent(agents)?.id).toBe(expected);
  });

  it('spreads a queue across agents in serving order, within their caps', () => {
    const plan = planAssignments(chats(10, 11, 12, 13), [agent(1, 0, 2), agent(2, 0, 1)], 5000);
    expect(plan).toEqual([
      { conversationId: 10, staffId: 1 },
      { conversationId: 11, staffId: 2 },
      { conversationId: 12, staffId: 1 },
    ]);
  });

  it('never gives a chat back to the agent who did not answer it', () => {
    const plan = planAssignments([{ conversationId: 10, avoidStaffId: 1 }, { conversationId: 11, avoidStaffId: null }], [agent(1, 0, 1)], 0);
    expect(plan).toEqual([{ conversationId: 11, staffId: 1 }]);
  });
});
