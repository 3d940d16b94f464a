// How the project's TypeScript and TSX are compiled where types are only stripped: by Jest
// (@swc/jest, jest.config.js) and by the pane's build (swc-loader, webpack.config.js). Types are
// checked by `npm run typecheck`; these options follow tsconfig.json (ES2022, React's automatic
// JSX runtime).
"use strict";

module.exports = {
  jsc: { parser: { syntax: "typescript", tsx: true }, transform: { react: { runtime: "automatic" } }, target: "es2022" },
};
