import { z } from 'zod'

/** The bounds of a number schema, so that the UI's fields and the CLI's options use the schema's own limits. */
export interface NumberBounds {
  min: number | null
  max: number | null
  /** True when `min` itself is not allowed (e.g. a learning rate must be more than 0). */
  exclusiveMin: boolean
  integer: boolean
}

export function numberBounds(schema: z.ZodType): NumberBounds {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    type?: string
    minimum?: number
    maximum?: number
    exclusiveMinimum?: number
    anyOf?: { type?: string; minimum?: number; maximum?: number; exclusiveMinimum?: number }[]
  }
  // A nullable number is anyOf [number, null]: its bounds are the number's.
  const number = json.anyOf?.find((option) => option.type === 'number' || option.type === 'integer') ?? json
  const exclusive = number.exclusiveMinimum
  return {
    min: exclusive ?? number.minimum ?? null,
    max: number.maximum ?? null,
    exclusiveMin: exclusive !== undefined,
    integer: number.type === 'integer'
  }
}
