// The shared word splitter (src/shared/words.ts): Chinese and Japanese cut into words by
// Intl.Segmenter, German and English split at what is not a letter or digit, as before.
import { countWords, joinWords, scriptLanguage, searchPhrase, searchText, splitWords, wordSpans } from "../../src/shared/words";

describe("splitWords", () => {
  test("Chinese: a clause is words, not one long word", () => {
    expect(splitWords("且等号成立的充分且必要条件是两个向量相等。")).toEqual(["且", "等", "号", "成立", "的", "充分", "且", "必要", "条件", "是", "两", "个", "向量", "相等"]);
  });

  test("Japanese: kanji words, particles and kana words apart", () => {
    expect(splitWords("東京都は日本の首都であり、人口が最も多い都市です。")).toEqual([
      "東京", "都", "は", "日本", "の", "首都", "で", "あり", "人口", "が", "最も", "多い", "都市", "です",
    ]);
    expect(splitWords("噴火警戒レベルは五段階")).toEqual(["噴火", "警戒", "レベル", "は", "五", "段階"]);
  });

  test("German: compounds stay whole, umlauts and ß are letters, lower case", () => {
    expect(splitWords("Die Gesundheitspolitik der Bundesländer: Straße, Öl-Preise (2024).")).toEqual([
      "die", "gesundheitspolitik", "der", "bundesländer", "straße", "öl", "preise", "2024",
    ]);
  });

  test("English: as before, letters and digits (hyphens, apostrophes and points split)", () => {
    expect(splitWords("Health-policy reports aren't U.S. data: 3.5% of e-mail.")).toEqual([
      "health", "policy", "reports", "aren", "t", "u", "s", "data", "3", "5", "of", "e", "mail",
    ]);
  });

  test("mixed scripts: each part by its own rules", () => {
    expect(splitWords("Word文書とExcelの表")).toEqual(["word", "文書", "と", "excel", "の", "表"]);
  });

  test("word offsets point into the text", () => {
    const text = "Die Straße 東京都は";
    for (const { word, offset } of wordSpans(text)) expect(text.slice(offset, offset + word.length).toLowerCase()).toBe(word);
    expect(wordSpans(text).map((span) => span.word)).toEqual(["die", "straße", "東京", "都", "は"]);
  });
});

test("countWords: words of two letters or more, as before; in Chinese and Japanese every word", () => {
  expect(countWords("The policy is a good one.")).toBe(5);
  expect(countWords("Die Gesundheitspolitik der Länder.")).toBe(4);
  expect(countWords("可逆矩阵的行列式不等于零。")).toBeGreaterThanOrEqual(5);
  expect(countWords("東京都は日本の首都です。")).toBe(7);
});

test("scriptLanguage: Han with kana is Japanese, Han alone Chinese; Latin text is left to the stop words", () => {
  expect(scriptLanguage("且等号成立的充分且必要条件是两个向量相等。")).toBe("zh");
  expect(scriptLanguage("東京都は日本の首都であり、人口が最も多い都市です。")).toBe("ja");
  expect(scriptLanguage("Die Gesundheitspolitik der Bundesländer")).toBeNull();
  expect(scriptLanguage("The policy")).toBeNull();
});

test("the search index's text: Chinese and Japanese characters one token each; other text unchanged", () => {
  expect(searchText("Lahars are mudflows.")).toBe("Lahars are mudflows.");
  expect(searchText("奇异矩阵。").split(/\s+/).filter(Boolean)).toEqual(["奇", "异", "矩", "阵", "。"]);
  expect(searchPhrase("必要条件")).toBe("必 要 条 件");
  expect(searchPhrase("policy")).toBe("policy");
});

test("joinWords: no space between Chinese or Japanese words", () => {
  expect(joinWords("必要", "条件")).toBe("必要条件");
  expect(joinWords("health", "policy")).toBe("health policy");
});
