import { bigserial, index, integer, jsonb, pgTable, real, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** An FAQ entry: a standard question, an answer, tags, status and counters. */
export const faqEntries = pgTable(
  'faq_entries',
  {
    id: serial('id').primaryKey(),
    /** Stable id of seed entries ("plat-001"); null for entries made by staff. */
    slug: text('slug').unique(),
    question: text('question').notNull(),
    answer: text('answer').notNull(),
    /** Optional H5 link shown under the answer. */
    link: text('link'),
    product: text('product').notNull().default(''),
    module: text('module').notNull().default(''),
    version: text('version').notNull().default(''),
    /** draft | published */
    status: text('status').notNull().default('draft'),
    hits: integer('hits').notNull().default(0),
    thumbsUp: integer('thumbs_up').notNull().default(0),
    thumbsDown: integer('thumbs_down').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('faq_entries_status').on(t.status)],
);

/** Similar questions of an entry. source: seed | staff | learned (attached from the unanswered log). */
export const faqQuestions = pgTable(
  'faq_questions',
  {
    id: serial('id').primaryKey(),
    entryId: integer('entry_id').notNull().references(() => faqEntries.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    source: text('source').notNull().default('seed'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('faq_questions_entry').on(t.entryId)],
);

/** Chit-chat (寒暄): questions and answers, one answer picked at random. */
export const chitchatEntries = pgTable('chitchat_entries', {
  id: serial('id').primaryKey(),
  slug: text('slug').unique(),
  questions: jsonb('questions').$type<string[]>().notNull(),
  answers: jsonb('answers').$type<string[]>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Colloquial words and typos → the canonical word (登陆 → 登录). Applies to the index and to queries. */
export const synonyms = pgTable('synonyms', {
  id: serial('id').primaryKey(),
  term: text('term').notNull().unique(),
  canonical: text('canonical').notNull(),
});

/**
 * Every question the bot handled, and how: band answer | suggest | none | chitchat | intent.
 * It drives the statistics, the "1/2/3" follow-up of a suggestion, and "有用/没用" feedback.
 */
export const botTurns = pgTable(
  'bot_turns',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: integer('conversation_id').notNull(),
    question: text('question').notNull(),
    band: text('band').notNull(),
    entryId: integer('entry_id'),
    /** Entry ids offered by "您是不是想问", in order. */
    suggestions: jsonb('suggestions').$type<number[]>(),
    score: real('score'),
    /** up | down, once given. */
    feedback: text('feedback'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('bot_turns_conversation').on(t.conversationId, t.id), index('bot_turns_created').on(t.createdAt)],
);

/**
 * The unanswered log: questions in the suggest or cannot-answer band, clustered by their
 * normalised n-gram set. status: open | attached | created | dismissed.
 */
export const unansweredQuestions = pgTable(
  'unanswered_questions',
  {
    id: serial('id').primaryKey(),
    /** The first wording seen; the cluster's representative. */
    text: text('text').notNull(),
    normalized: text('normalized').notNull(),
    count: integer('count').notNull().default(1),
    /** Other wordings seen in this cluster (up to a few). */
    variants: jsonb('variants').$type<string[]>().notNull().default([]),
    lastAskedAt: timestamp('last_asked_at', { withTimezone: true }).notNull().defaultNow(),
    status: text('status').notNull().default('open'),
    entryId: integer('entry_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('unanswered_normalized').on(t.normalized), index('unanswered_status').on(t.status, t.lastAskedAt)],
);

/** FAQ candidates from escalated chats: the customer's question and the agent's answer. status: open | accepted | dismissed. */
export const faqCandidates = pgTable('faq_candidates', {
  id: serial('id').primaryKey(),
  conversationId: integer('conversation_id').notNull(),
  question: text('question').notNull(),
  answer: text('answer').notNull(),
  status: text('status').notNull().default('open'),
  entryId: integer('entry_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
