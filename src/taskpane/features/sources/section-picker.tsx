// The Section dropdown of the Sources tab. A long document (hundreds of headings) gets a filter
// box above it, and the dropdown renders at most MAX_RENDERED_SECTIONS options — the matches of the
// filter, with the chosen section always among them — so opening it stays quick however many
// sections the document has; a last, disabled option says how many more there are.
import { Dropdown, Field, Input, Option } from "@fluentui/react-components";
import { FilterRegular } from "@fluentui/react-icons";
import { useMemo, useState } from "react";
import { shortLabel } from "../../ui/short-label";

/** From this many sections on, the filter box is shown. */
export const FILTER_FROM_SECTIONS = 30;
/** Options rendered at most when the dropdown opens. */
export const MAX_RENDERED_SECTIONS = 60;

export interface PickableSection {
  section_id: string;
  section_title: string;
}

export function SectionPicker({ sections, chosen, onChoose }: { sections: readonly PickableSection[]; chosen: PickableSection | undefined; onChoose: (sectionId: string) => void }) {
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
          aria-label="Filter sections by title"
          placeholder={`Filter ${sections.length} sections`}
          contentBefore={<FilterRegular aria-hidden />}
          value={filter}
          onChange={(_, data) => setFilter(data.value)}
        />
      )}
      <Field label="Section" hint={long && needle ? `${matching.length} of ${sections.length} sections match “${filter.trim()}”` : undefined}>
        <Dropdown
          placeholder="Choose a section"
          value={chosen ? shortLabel(chosen.section_title) : ""}
          button={chosen ? { title: chosen.section_title, "aria-description": chosen.section_title } : undefined}
          selectedOptions={chosen ? [chosen.section_id] : []}
          onOptionSelect={(_, data) => data.optionValue && onChoose(data.optionValue)}
        >
          {shown.map((s) => (
            <Option key={s.section_id} value={s.section_id} text={shortLabel(s.section_title)} title={s.section_title} aria-label={s.section_title}>
              {shortLabel(s.section_title)}
            </Option>
          ))}
          {hidden > 0 && (
            <Option key="more" value="" text="" disabled>
              {`${hidden} more: type in the filter to find them`}
            </Option>
          )}
        </Dropdown>
      </Field>
    </>
  );
}
