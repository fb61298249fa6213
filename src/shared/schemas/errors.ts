import { z } from 'zod'
import { ERROR_CODES, MESSAGE_KEYS, type CallError } from '../names'

export const ErrorCodeSchema = z.enum(ERROR_CODES)

export const FieldProblemSchema = z.object({
  path: z.string(),
  message: z.string(),
  rule: z.enum(['too-small', 'too-big', 'not-integer', 'wrong-type', 'unknown-field', 'invalid']),
  limit: z.number().optional()
})

export const CallErrorSchema: z.ZodType<CallError> = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  key: z.enum(MESSAGE_KEYS).optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  fields: z.array(FieldProblemSchema).optional()
})
