// The Section dropdown of the Sources tab. A long document (hundreds of headings) gets a filter
// box above it, and the dropdown renders at most MAX_RENDERED_SECTIONS options — the matches of the
// filter, with the chosen section always among them — so opening it stays quick however many
// sections the document has; a last, disabled option says how many more there are.
import { Dropdown, Field, Input, Option, makeStyles } from "@fluentui/react-components";
import { FilterRegular } from "@fluentui/react-icons";
import { useMemo, useState } from "react";
import { t } from "../../i18n";
import { shortLabel } from "../../ui/short-label";

// At 320 px the dropdown (Fluent's is at least 250 px wide) and the filter take the pane's width,
// and a long section name ends in an ellipsis on the closed dropdown (full name in its title).
const useStyles = makeStyles({
  full: { width: "100%", minWidth: 0, maxWidth: "100%", boxSizing: "border-box" },
  button: { gridTemplateColumns: "[content] minmax(0, 1fr) [icon] auto [end]", minWidth: 0 },
  value: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", minWidth: 0 },
  option: { overflowWrap: "anywhere" },
});

/** From this many sections on, the filter box is shown. */
export const FILTER_FROM_SECTIONS = 30;
/** Options rendered at most when the dropdown opens. */
export const MAX_RENDERED_SECTIONS = 60;

export interface PickableSection {
  section_id: string;
  section_title: string;
}

export function SectionPicker({ sections, chosen, onChoose }: { sections: readonly PickableSection[]; chosen: PickableSection | undefined; onChoose: (sectionId: string) => void }) {
  const styles = useStyles();
  const [filter, setFilter] = useState("");
  const needle = filter.trim().toLowerCase();
  const { matching, shown, hidden } = useMemo(() => {
    const matching = needle ? sections.filter((s) => s.section_title.toLowerCase().includes(needle)) : sections;
    const capped = matching.slice(0, MAX_RENDERED_SECTIONS);
    // The chosen section stays selectable (and named) even when the filter or the cap leaves it out.
    const shown = chosen && !capped.includes(chosen) ? [chosen, ...capped.slice(0, MAX_RENDERED_SECTIONS - 1)] : capped;
    const hidden = matching.length - shown.filter((s) => matching.includes(s)).length;
    return { matching, shown, hidden };
  }, [sections, needle, chosen]);
  const long = sections.length >= FILTER_FROM_SECTIONS;
  return (
    <>
      {long && (
        <Input
          type="search"
          className={styles.full}
          aria-label={t("sources.filterLabel")}
          placeholder={t("sources.filterPlaceholder", { count: sections.length })}
          contentBefore={<FilterRegular aria-hidden />}
          value={filter}
          onChange={(_, data) => setFilter(data.value)}
        />
      )}
      <Field
        label={t("sources.sectionLabel")}
        className={styles.full}
        hint={long && needle ? t("sources.filterMatches", { matching: matching.length, count: sections.length, filter: filter.trim() }) : undefined}
      >
        <Dropdown
          className={styles.full}
          placeholder={t("sources.chooseSection")}
          value={chosen ? shortLabel(chosen.section_title) : ""}
          button={
            chosen
              ? {
                  className: styles.button,
                  title: chosen.section_title,
                  "aria-description": chosen.section_title,
                  children: <span className={styles.value}>{shortLabel(chosen.section_title)}</span>,
                }
              : { className: styles.button }
          }
          // Not clearable: no hidden "Clear selection" button (its name would be Fluent's English).
          clearButton={null}
          selectedOptions={chosen ? [chosen.section_id] : []}
          onOptionSelect={(_, data) => data.optionValue && onChoose(data.optionValue)}
        >
          {shown.map((s) => (
            <Option key={s.section_id} value={s.section_id} text={shortLabel(s.section_title)} title={s.section_title} aria-label={s.section_title} className={styles.option}>
              {shortLabel(s.section_title)}
            </Option>
          ))}
          {hidden > 0 && (
            <Option key="more" value="" text="" disabled>
              {t("sources.moreSections", { count: hidden })}
            </Option>
          )}
        </Dropdown>
      </Field>
    </>
  );
}
