// sealed.hpp — a week's summary as it is sealed at its publication
// (docs/anonymity.md, "Publication"): computed once, from the answers the
// collector holds at that moment, stored, and read back unchanged for every
// format ever after — so no two reads of a published figure can differ, and
// an answer that arrives later changes nothing anyone sees. Pure: the store
// keeps the text, collector/publication.cpp decides when.
#pragma once

#include "collector/summary/period.hpp"
#include "collector/summary/summary.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

// A sealed week as the store keeps it: its summary, and the week's answers
// per question, kept only to be added up into its period (never shown).
struct SealedSummary {
    Summary summary;
    std::optional<QuestionCounts> counts;  // nullopt: sealed before 4-week periods (format 1)
};

// The summary of `week` for workplace as it is sealed: the week's own
// figures from counts (only their week_offset 0; the anonymity rule applied
// to the week alone, as build_summary does), and each shown theme's trend
// and change from the sealed summaries of the weeks before — earlier[0] is
// the week before, earlier[2] three weeks before; null where none was
// sealed. The questions show the newest 4-week period ended by `week`
// (period.hpp): computed now when `week` ends it, from its counts and the
// three earlier seals' (span none when one of them is missing or has no
// counts); otherwise copied from that period's last week's seal (span none
// when it showed none). Language-neutral: titles and texts are left empty
// (localize_summary). With counts and earlier seals from the same answers,
// the themes equal build_summary's over those weeks (a test checks it).
SealedSummary seal_summary(const std::string& workplace, IsoWeek week, const QuestionBank& bank,
                           const std::vector<AnswerCount>& counts, int min_answers,
                           const std::array<const SealedSummary*, 3>& earlier);

// The stored form: JSON holding every figure (doubles written so that they
// read back exactly) and the kept counts, and back (formats 1 and 2).
// nullopt when text is not one (a damaged row).
std::string sealed_summary_json(const SealedSummary& sealed);
std::optional<SealedSummary> parse_sealed(std::string_view text);
// parse_sealed's summary alone: what every reader of a published week takes.
std::optional<Summary> parse_sealed_summary(std::string_view text);

// Fills language, theme titles and question texts from bank, in language
// (falling back to the bank's first language; an id the bank no longer has
// is shown as the id). Changes no figure.
void localize_summary(Summary& summary, const QuestionBank& bank, const std::string& language);

}  // namespace pulse
