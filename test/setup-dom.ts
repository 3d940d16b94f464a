import "@testing-library/jest-dom";
import { configure } from "@testing-library/react";

// CI machines have 2 cores and run test files in parallel: give findBy*/waitFor more than 1 s.
configure({ asyncUtilTimeout: 4000 });

// Component tests drive the pane the way a person does (user-event typing, real timers): on a
// busy two-core CI machine one can take several seconds, so each gets 15 s rather than jest's 5.
jest.setTimeout(15_000);

// Speed, not behaviour: jsdom's getComputedStyle matches every CSS rule in the document against
// the element, and Testing Library (is it hidden?) and user-event (pointer-events) call it for
// each element a query or a click looks at. Fluent's atomic CSS adds thousands of one-declaration
// rules (colours, spacing, flex) that jsdom matches and that decide nothing here: it has no
// layout. Only the rules that can hide an element or stop the pointer are kept. The theme's custom
// properties go too (no test reads a colour, and the rules that use one held most of the matching
// time); the rest would more than double the time of the component tests.
//
// jsdom's CSSStyleSheet is one class for every test file a worker runs (it comes from a Node
// package, not from each file's window), so the original is put back when the file ends. Left in
// place, each file wrapped the previous file's wrapper, and every wrapper kept its file's whole
// module graph alive (`jest --detectLeaks` failed even on a file with one empty test).
const DECIDES = /display:\s*none|visibility:|opacity:|pointer-events:/;
const insertRule = CSSStyleSheet.prototype.insertRule;
CSSStyleSheet.prototype.insertRule = function (this: CSSStyleSheet, rule: string, index?: number): number {
  if (!DECIDES.test(rule)) return index ?? this.cssRules.length;
  return insertRule.call(this, rule, index);
};
afterAll(() => {
  CSSStyleSheet.prototype.insertRule = insertRule;
});
