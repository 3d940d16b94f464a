import "@testing-library/jest-dom";
import { configure } from "@testing-library/react";

// CI machines have 2 cores and run test files in parallel: give findBy*/waitFor more than 1 s.
configure({ asyncUtilTimeout: 4000 });
