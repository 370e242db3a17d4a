// The format checks of the route table's rules, each built once per rule: binary passes, anything else is refused.
import type { Config } from '../config/schema.js'
import { checkAccept } from './check-accept.js'
import { checkConsumerBody } from './check-consumer-body.js'
import { checkContentType } from './check-content-type.js'
import { checkV3Body } from './check-v3-body.js'
import type { FormatCheck } from './format-check.js'
import type { FormatRule } from './routes.js'

export function createFormatCheck(rule: FormatRule, limits: Config['policy']): FormatCheck | undefined {
  switch (rule.check) {
    case 'content-type':
      return checkContentType(rule.binary)
    case 'accept':
      return checkAccept(rule.offered)
    case 'consumer-body':
      return checkConsumerBody(limits.maxJsonBody)
    case 'v3-body':
      return checkV3Body(rule.batch, limits.maxV3Body)
    case 'none':
      return undefined
  }
}
