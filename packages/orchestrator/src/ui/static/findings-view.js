// A read-only task's findings on the task page, one card per attempt with what the review (or
// a person) made of them: only accepted findings reach the tasks that depend on this one.
import { h } from './dom.js';

const OUTCOMES = {
  accepted: ['accepted: passed on to the tasks that depend on this one', 'ok'],
  rework: ['sent back for rework: not passed on', 'bad'],
  escalated: ['escalated to a person', 'bad'],
  awaiting_review: ['waiting for review', 'muted'],
};

export function findingsView(findings) {
  if (findings.length === 0) return null;
  return [
    h('h2', {}, 'Findings'),
    findings.map((f) => {
      const [label, tone] = OUTCOMES[f.outcome] ?? [f.outcome, 'muted'];
      return h(
        'div',
        { class: 'card', 'data-testid': `findings-${f.attempt}` },
        h('div', { class: 'muted' }, `attempt ${f.attempt} · `, h('span', { class: tone, 'data-testid': 'findings-outcome', 'data-outcome': f.outcome }, label)),
        h('pre', {}, f.text),
      );
    }),
  ];
}
