import { getAmbientPropagation, getContextManager, setAmbientPropagation } from '../carrier';
import { createRootPropagation } from './create-span';
import type { PropagationContext } from '../internal/propagation-context';
import { isSpan, type Span } from './span';

/** The trace used when nothing is active, made on first use. */
export function ambientPropagation(): PropagationContext {
  let propagation = getAmbientPropagation();
  if (propagation === undefined) setAmbientPropagation((propagation = createRootPropagation()));
  return propagation;
}

/**
 * The span and trace an outgoing call made now continues: the active span, else the continued
 * trace, else the page's (browser) or process's (Node) trace.
 */
export function currentTrace(): { propagation: PropagationContext; span: Span | undefined } {
  const active = getContextManager().active();
  const span = isSpan(active?.span) ? active.span : undefined;
  return { propagation: span?.propagation ?? active?.propagation ?? ambientPropagation(), span };
}
