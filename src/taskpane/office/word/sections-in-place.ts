// Sections written in place: a generated section goes into the open document under its heading
// (or at the cursor, after a heading of its own), inside a rich-text content control whose tag
// names the generated document and the template section (document-host.ts contentControlTag), so
// that the Sources panel finds the section of a selection by the control around it even after
// the heading is edited. Its "[n]" citations become Word footnotes where Word can make them
// (WordApi 1.5); elsewhere they stay as "[n]" after the sentences.
//
// Requirement sets: content controls, tags and insertHtml are WordApi 1.1; Paragraph.styleBuiltIn
// and ContentControl.getRange 1.3 (as the selection's parentContentControlOrNullObject); suggestions
// (Track Changes) 1.4; footnotes 1.5.

import { t } from "../../i18n";
import {
  OfficeError,
  contentControlTag,
  contentControlTitle,
  writtenSectionFrom,
  type SectionContent,
  type SelectedTextAndSection,
  type WriteSectionOptions,
  type WrittenPlace,
  type WrittenSectionRef,
} from "../document-host";
import { findHeading, headingCandidates } from "../heading-match";
import { failWith, writeError } from "./errors";
import { wordApiSupported, wordGlobal } from "./globals";
import { asLoadError, headingProperties, outlineLevelsUsable, paragraphInfo, unwrapLoadError, withHeadingProperties } from "./headings";
import { asSuggestion, requireSuggestions } from "./insertion";
import { citationsAsNotes } from "./notes";
import { getSelectedText, selectAsOurMove } from "./selection";
import { type WordHostState } from "./state";

/** The written sections among the document's content controls (loaded with tag and title). */
function writtenControls(controls: Word.ContentControlCollection): Array<{ control: Word.ContentControl; section: WrittenSectionRef }> {
  return controls.items.flatMap((control) => {
    const section = writtenSectionFrom(control.tag, control.title);
    return section ? [{ control, section }] : [];
  });
}

/** DocumentHost.getWrittenSections for Word. */
export async function getWrittenSections(): Promise<WrittenSectionRef[]> {
  return wordGlobal()
    .run(async (context) => {
      const controls = context.document.contentControls;
      controls.load("items/tag,items/title");
      await context.sync();
      return writtenControls(controls).map(({ section }) => section);
    })
    .catch(failWith("read_failed", t("office.writtenSectionsReadFailed")));
}

/** DocumentHost.getSelectedTextAndSection for Word: the selection's text and innermost content control, one sync. */
export async function getSelectedTextAndSection(): Promise<SelectedTextAndSection> {
  if (!wordApiSupported("1.3")) return { text: await getSelectedText() };
  return wordGlobal()
    .run(async (context) => {
      const selection = context.document.getSelection();
      selection.load("text");
      const control = context.document.getSelection().parentContentControlOrNullObject;
      control.load("tag,title");
      await context.sync();
      const written = control.isNullObject ? undefined : writtenSectionFrom(control.tag, control.title);
      return { text: selection.text ?? "", ...(written ? { writtenSection: written } : {}) };
    })
    .catch(failWith("read_failed", t("office.selectedTextFailed")));
}

/** DocumentHost.writeSection for Word. */
export async function writeSection(
  state: WordHostState,
  section: WrittenSectionRef,
  content: SectionContent,
  options: WriteSectionOptions = {},
): Promise<WrittenPlace> {
  if (!wordApiSupported("1.3")) throw new OfficeError("unsupported", t("office.sectionsNeedWord2016"));
  if (options.suggest) requireSuggestions();
  let clean: string;
  try {
    const { sanitizeFormattedHtml } = await import(/* webpackChunkName: "sanitize" */ "../html-sanitize");
    clean = sanitizeFormattedHtml(content.html);
  } catch {
    clean = ""; // no way to clean it: never hand Word unclean HTML
  }
  const word = wordGlobal();
  try {
    return await withHeadingProperties(state, (withOutline) =>
      word.run(async (context): Promise<WrittenPlace> => {
        const controls = context.document.contentControls;
        controls.load("items/tag,items/title");
        const paragraphs = context.document.body.paragraphs;
        paragraphs.load(headingProperties(withOutline, true));
        await context.sync().catch(asLoadError);

        const before = writtenControls(controls).find((written) => written.section.sectionId === section.sectionId);
        if (before && !options.replace) {
          throw new OfficeError("already_written", t("office.alreadyWritten", { title: section.title }));
        }
        let place: WrittenPlace = "replaced";
        let control: Word.ContentControl;
        await asSuggestion(context, options.suggest === true, async () => {
          if (before) {
            control = before.control;
          } else {
            const items = paragraphs.items;
            const { candidates, indexes } = headingCandidates(items.map((paragraph) => paragraphInfo(paragraph, outlineLevelsUsable(items, withOutline), true)));
            const match = findHeading(candidates, section.title, 1);
            const headingEnd = match ? items[indexes[match.last]!] : undefined;
            let body: Word.Paragraph;
            if (headingEnd) {
              place = "under-heading";
              body = headingEnd.insertParagraph("", "After");
            } else {
              // No heading with this title: the section's heading goes in at the cursor, then its text.
              place = "at-cursor";
              const heading = context.document.getSelection().insertParagraph(section.title, "After");
              heading.styleBuiltIn = "Heading1" as Word.BuiltInStyleName;
              body = heading.insertParagraph("", "After");
            }
            body.styleBuiltIn = "Normal" as Word.BuiltInStyleName;
            control = body.insertContentControl();
          }
          control.tag = contentControlTag(section);
          control.title = contentControlTitle(section.title);
          control.appearance = "BoundingBox" as Word.ContentControlAppearance;
          if (clean) control.insertHtml(clean, "Replace");
          else control.insertText(content.plainText, "Replace");
          await context.sync();
          if (content.notes?.length && wordApiSupported("1.5")) await citationsAsNotes(context, control, content.notes, "footnotes");
          // The cursor after the section, so that the next one written at the cursor follows it.
          await selectAsOurMove(state, context, control.getRange("End"), "End");
        });
        return place;
      }),
    );
  } catch (error) {
    const original = unwrapLoadError(error);
    if (original instanceof OfficeError) throw original;
    throw writeError(original, t("office.writeSectionFailed"));
  }
}
