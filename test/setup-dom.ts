import "@testing-library/jest-dom";
import { configure } from "@testing-library/react";

// CI machines have 2 cores and run test files in parallel: give findBy*/waitFor more than 1 s.
configure({ asyncUtilTimeout: 4000 });

// Component tests drive the pane the way a person does (user-event typing, real timers): on a
// busy two-core CI machine one can take several seconds, so each gets 15 s rather than jest's 5.
jest.setTimeout(15_000);
