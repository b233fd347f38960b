// sealed.hpp — a week's summary as it is sealed at its publication
// (docs/anonymity.md, "Publication"): computed once, from the answers the
// collector holds at that moment, stored, and read back unchanged for every
// format ever after — so no two reads of a published figure can differ, and
// an answer that arrives later changes nothing anyone sees. Pure: the store
// keeps the text, collector/publication.cpp decides when.
#pragma once

#include "collector/summary/summary.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

// The summary of `week` for workplace as it is sealed: the week's own
// figures from counts (only their week_offset 0; the anonymity rule applied
// to the week alone, as build_summary does), and each shown item's trend and
// change from the sealed summaries of the weeks before — earlier[0] is the
// week before, earlier[2] three weeks before; null where none was sealed.
// Language-neutral: titles and texts are left empty (localize_summary).
// With counts and earlier seals from the same answers, the figures equal
// build_summary's over those weeks (a test checks it).
Summary seal_summary(const std::string& workplace, IsoWeek week, const QuestionBank& bank,
                     const std::vector<AnswerCount>& counts, int min_answers,
                     const std::array<const Summary*, 3>& earlier);

// The stored form: JSON holding every figure (doubles written so that they
// read back exactly), and back. nullopt when text is not one (a damaged row).
std::string sealed_summary_json(const Summary& summary);
std::optional<Summary> parse_sealed_summary(std::string_view text);

// Fills language, theme titles and question texts from bank, in language
// (falling back to the bank's first language; an id the bank no longer has
// is shown as the id). Changes no figure.
void localize_summary(Summary& summary, const QuestionBank& bank, const std::string& language);

}  // namespace pulse
