import { isDarkColour, isDarkOfficeTheme, relativeLuminance } from "../../../src/taskpane/office/office-theme";

test.each([
  ["#000000", true],
  ["#FFFFFF", false],
  ["#262626", true], // Word's Black theme
  ["#F3F3F3", false], // Colorful / White
  ["#6a6a6a", true], // Dark Gray
  ["#DDD", false],
  ["#ABC", true], // luminance 0.485: just under the line
  ["fff", false],
  ["#1e1e1eff", true],
  ["rgb(30, 30, 30)", true],
  ["rgba(250, 250, 250, 0.9)", false],
  ["", false],
  ["not a colour", false],
  [undefined, false],
])("isDarkColour(%p) is %p", (colour, dark) => {
  expect(isDarkColour(colour)).toBe(dark);
});

test("relative luminance follows WCAG (black 0, white 1, mid grey about 0.216)", () => {
  expect(relativeLuminance("#000")).toBe(0);
  expect(relativeLuminance("#fff")).toBeCloseTo(1, 6);
  expect(relativeLuminance("#808080")).toBeCloseTo(0.2159, 3);
  expect(relativeLuminance("zzz")).toBeUndefined();
});

test("an Office theme is dark by its body background; missing means light", () => {
  expect(isDarkOfficeTheme({ bodyBackgroundColor: "#262626" })).toBe(true);
  expect(isDarkOfficeTheme({ bodyBackgroundColor: "#FFFFFF", isDarkTheme: true })).toBe(false);
  expect(isDarkOfficeTheme({ isDarkTheme: true })).toBe(true); // colour missing: the host's own flag
  expect(isDarkOfficeTheme({})).toBe(false);
  expect(isDarkOfficeTheme(undefined)).toBe(false);
  expect(isDarkOfficeTheme(null)).toBe(false);
});
