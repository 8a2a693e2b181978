import type { z } from 'zod';
import type { ApiErrorBodySchema, LoginRequestSchema, StaffMeSchema } from './staff-schemas.js';

/** Staff roles. Admins manage the knowledge base; agents and technicians serve chats. */
export const STAFF_ROLES = ['agent', 'technician', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The logged-in staff member: POST /api/staff/session and GET /api/staff/me answer this. */
export type StaffMe = z.infer<typeof StaffMeSchema>;

/** POST /api/staff/session body. */
export type LoginRequest = z.input<typeof LoginRequestSchema>;

/** Every /api error body. */
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;
