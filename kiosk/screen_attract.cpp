// screen_attract.cpp — the resting screen. With [pulse] start = "question"
// (the default) it is the session's first statement: the headline, the
// statement, the five answers with the anonymity promise under them, and
// "Ved ikke", "Om anonymitet" and the languages, so that the first tap is an
// answer. With start = "button": the headline, one large start button that
// says what a session costs, the promise, "Om anonymitet" and the languages.
// With a manager's response kept (news_band.hpp) it takes the headline's
// place at the top, in as many lines (up to 3, 5 in portrait) as leave the
// statement its full size; when not even one line does, the headline shows.
// With start = "button" it goes under the headline, in up to 3 lines that
// leave the start button its touch size.
#include "kiosk/answer_row.hpp"
#include "kiosk/news_band.hpp"
#include "kiosk/widgets.hpp"

#include <algorithm>

namespace pulse {

namespace {

// The session's first statement and its answers.
Intent attract_question(const View& v) {
    const Layout& l = v.layout;
    const Palette& p = v.palette;
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float gap = std::max(l.min_gap(), 20 * l.scale);
    // Portrait: the column of answers leaves the statement less height, and
    // the narrow window makes short lines anyway (25-35 characters), so the
    // texts take the width between the margins rather than 84 % of it.
    const float wrap = l.portrait ? l.width - 2 * l.margin : l.width * 0.84f;

    // From the bottom up, within reach: the secondary row, the promise, the answers.
    const std::vector<Secondary> secondary = {Secondary::dont_know, Secondary::about, Secondary::languages};
    const float block_bottom = l.reach_bottom - l.margin * (l.portrait ? 0.0f : 0.5f);
    const float secondary_top = block_bottom - secondary_rows_height(v, secondary);
    const std::string& promise = v.text("attract_anonymity");
    const float promise_h = text_block_height(v.fonts.button, promise, wrap, 2);
    const float promise_top = secondary_top - gap - promise_h;
    const float answers_top = promise_top - gap * 0.75f - answer_buttons_height(v);

    // The headline on top, where the statement leaves room for it at the
    // statement's own size (a long statement on a small panel goes without
    // rather than be drawn smaller than the headline: the statement is the
    // question); the statement centred between it and the answers.
    const float headline_top = l.margin + 18 * l.scale;
    const Question* q = v.bank.find_question(v.flow.current_question());
    const std::string& statement = q ? q->text.at(v.flow.language) : std::string();
    const std::string& headline = v.text("attract_headline");
    const auto fits_with = [&](float top_h) {
        return statement_size(v, statement, wrap, answers_top - gap * 0.5f - (headline_top + top_h + gap)) >=
               v.fonts.statement->FontSize;
    };
    float headline_h = -gap;
    int news_lines = v.news ? (l.portrait ? 5 : 3) : 0;
    while (news_lines > 0 && !fits_with(news_band_height(v, wrap, news_lines))) --news_lines;
    if (news_lines > 0) {
        headline_h = draw_news_band(v, headline_top, wrap, news_lines);
    } else if (const float h = text_block_height(v.fonts.headline, headline, wrap, 2); fits_with(h)) {
        headline_h = text_block(list, v.fonts.headline, headline, l.width * 0.5f, headline_top, wrap, p.muted, 2);
    }
    const float space_top = headline_top + headline_h + gap;
    const float size = statement_size(v, statement, wrap, answers_top - gap * 0.5f - space_top);
    const float fitted_h = statement_height(v, statement, wrap, size);
    const float text_top = std::max(space_top, space_top + (answers_top - space_top - fitted_h) * 0.5f);
    text_block_sized(list, v.fonts.statement, size, statement, l.width * 0.5f, text_top, wrap, p.text, 0);

    Intent intent = answer_buttons(v, answers_top);
    text_block(list, v.fonts.button, promise, l.width * 0.5f, promise_top, wrap, p.text, 2);
    const Intent second = secondary_rows(v, secondary, secondary_top);
    return second.action != Intent::Action::none ? second : intent;
}

// The start button, saying what a session costs.
Intent attract_button(const View& v) {
    const Layout& l = v.layout;
    const Palette& p = v.palette;
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float gap = std::max(l.min_gap(), 20 * l.scale);
    const float wrap = l.width * 0.84f;
    Intent intent;

    const std::vector<Secondary> secondary = {Secondary::about, Secondary::languages};
    const float block_bottom = l.reach_bottom - l.margin * (l.portrait ? 0.0f : 0.5f);
    const float secondary_top = block_bottom - secondary_rows_height(v, secondary);
    const std::string& promise = v.text("attract_anonymity");
    const float promise_h = text_block_height(v.fonts.button, promise, wrap, 2);
    const float promise_top = secondary_top - gap - promise_h;

    const float headline_top = l.portrait ? l.height * 0.20f : l.margin * 2;
    float headline_h = text_block(list, v.fonts.headline, v.text("attract_headline"), l.width * 0.5f,
                                  headline_top, wrap, p.text, 2);
    // The manager's response under the headline, leaving the start button its touch size.
    int news_lines = v.news ? 3 : 0;
    while (news_lines > 0 && promise_top - gap * 2 - (headline_top + headline_h + gap * 3 +
                                                      news_band_height(v, wrap, news_lines)) < l.min_target()) {
        --news_lines;
    }
    if (news_lines > 0) headline_h += gap + draw_news_band(v, headline_top + headline_h + gap, wrap, news_lines);

    // The button fills the room between the headline and the promise.
    const float room_top = headline_top + headline_h + gap * 2, room_bottom = promise_top - gap * 2;
    const float button_w = l.portrait ? l.width - 2 * l.margin : l.width * 0.5f;
    const float button_h = std::max(l.min_target(), std::min(room_bottom - room_top, l.height * 0.36f));
    const float button_top = room_top + (room_bottom - room_top - button_h) * 0.5f;
    const int n = v.flow.settings.per_session;
    const std::string cost = n == 1 ? v.text("attract_cost_one")
                                    : fill_placeholders(v.text("attract_cost_many"),
                                                        {{"n", std::to_string(n)}, {"seconds", std::to_string(5 + 5 * n)}});
    ButtonLook look;
    look.fill = p.accent;
    look.text = p.on_accent;
    look.font = v.fonts.headline;
    look.label = v.text("attract_button").c_str();
    look.label_y = 0.42f;
    const ImVec2 min((l.width - button_w) * 0.5f, button_top), max((l.width + button_w) * 0.5f, button_top + button_h);
    if (touch_button(v, "start", min, max, look)) intent = Intent{Intent::Action::start, 0, {}};
    const float cost_top = min.y + button_h * 0.66f;
    text_block(list, v.fonts.button, cost, l.width * 0.5f, cost_top, button_w - 2 * l.margin, p.on_accent, 1);

    text_block(list, v.fonts.button, promise, l.width * 0.5f, promise_top, wrap, p.text, 2);
    const Intent second = secondary_rows(v, secondary, secondary_top);
    return second.action != Intent::Action::none ? second : intent;
}

}  // namespace

Intent draw_attract(const View& v) {
    begin_canvas(v);
    const Intent corner = admin_corner(v);  // first: it gets the tap
    const Intent intent = v.flow.settings.start_with_question ? attract_question(v) : attract_button(v);
    end_canvas();
    return corner.action != Intent::Action::none ? corner : intent;
}

}  // namespace pulse
