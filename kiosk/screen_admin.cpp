// screen_admin.cpp — the admin panel for IT (issue 13), behind the PIN: what
// the terminal is and runs, whether the collector answers, the last good
// upload's hour, the last error, answers set aside, the clock's offset and
// the free disk (terminal/admin_info.hpp), and four actions: upload now,
// touch test, brightness (where there is a backlight) and restart. Never an
// answer, a count of answers or anything per hour or per session.
#include "kiosk/widgets.hpp"

#include "common/copenhagen_time.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace pulse {

namespace {

// "2026-12-01 14:00" on Copenhagen's clock (the panel shows hours only).
std::string local_hour(UnixSeconds t) {
    const LocalTime local = copenhagen_local(t);
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:00", local.date.year, local.date.month, local.date.day,
                  local.second_of_day / 3600);
    return text;
}

// At most max_chars bytes of text, cut at a UTF-8 boundary with "…".
std::string shortened(const std::string& text, std::size_t max_chars) {
    if (text.size() <= max_chars) return text;
    std::size_t cut = max_chars;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut) + "…";
}

struct Row {
    std::string label, value;
    bool alert = false;  // drawn in the fault colour
};

// Free disk as people read it: "700 MB" below 10 GB's worth, else "68.6 GB"
// (decimal units, as disk makers and df -H count; the mark is the same in
// Danish and English here, since the panel is IT's).
std::string disk_size(std::int64_t mb) {
    if (mb < 10'000) return std::to_string(mb) + " MB";
    char text[32];
    std::snprintf(text, sizeof text, "%.1f GB", static_cast<double>(mb) / 1000.0);
    return text;
}

std::vector<Row> rows_for(const View& v, const AdminInfo& i) {
    std::vector<Row> rows;
    rows.push_back({v.text("admin_terminal"), i.terminal_id});
    rows.push_back({v.text("admin_workplace"), i.workplace});
    rows.push_back({v.text("admin_version"), i.version.empty() ? v.text("admin_unknown") : i.version});
    rows.push_back({v.text("admin_config"), i.config_version.empty() ? v.text("admin_unknown") : i.config_version});
    std::string server;
    bool server_alert = false;
    if (i.endpoint.empty()) {
        server = v.text("admin_offline");
    } else {
        // "svarer ikke (14:00)"; with no hour to give, "svarer ikke", not "()".
        const auto with_hour = [&](const char* key) {
            std::string text = v.text(key);
            if (i.reach_hour) return fill_placeholders(text, {{"hour", local_hour(*i.reach_hour)}});
            if (const std::size_t at = text.find(" ({hour})"); at != std::string::npos) text.erase(at, 9);
            return fill_placeholders(text, {{"hour", ""}});
        };
        switch (i.reach) {
            case AdminInfo::Reach::reachable:
                server = with_hour("admin_reachable");
                break;
            case AdminInfo::Reach::unreachable:
                server = with_hour("admin_unreachable");
                server_alert = true;
                break;
            case AdminInfo::Reach::unknown: server = v.text("admin_not_tried"); break;
        }
        server = i.endpoint + " — " + server;
    }
    rows.push_back({v.text("admin_server"), server, server_alert});
    rows.push_back({v.text("admin_last_upload"),
                    i.last_upload_ok_hour ? local_hour(*i.last_upload_ok_hour) : v.text("admin_never")});
    rows.push_back({v.text("admin_last_error"), i.last_error.empty() ? v.text("admin_no_error") : i.last_error,
                    !i.last_error.empty()});
    rows.push_back({v.text("admin_database"),
                    v.text(i.facts.database_ok ? "admin_database_ok" : "admin_database_failed"),
                    !i.facts.database_ok});
    rows.push_back({v.text("admin_set_aside"), v.text(i.facts.answers_set_aside ? "admin_yes" : "admin_no"),
                    i.facts.answers_set_aside});
    std::string clock = v.text("admin_unknown");
    if (i.clock_offset_s) clock = (*i.clock_offset_s > 0 ? "+" : "") + std::to_string(*i.clock_offset_s) + " s";
    rows.push_back({v.text("admin_clock"), clock, i.clock_offset_s && (*i.clock_offset_s > 60 || *i.clock_offset_s < -60)});
    rows.push_back({v.text("admin_disk"),
                    i.facts.free_disk_mb ? disk_size(*i.facts.free_disk_mb) : v.text("admin_unknown"),
                    i.facts.free_disk_mb && *i.facts.free_disk_mb < 500});
    return rows;
}

ButtonLook action_look(const View& v, const char* label) {
    const Layout& l = v.layout;
    ButtonLook look;
    look.fill = v.palette.card;
    look.border = v.palette.outline;
    look.border_px = std::max(2.0f, 3 * l.scale);
    look.font = v.fonts.button;
    look.label = label;
    return look;
}

}  // namespace

Intent draw_admin(const View& v) {
    const Layout& l = v.layout;
    const Palette& p = v.palette;
    ImDrawList* list = begin_canvas(v);
    Intent intent;

    // Title left, close right.
    const float close_h = admin_close_button(v, &intent);
    list->AddText(v.fonts.statement, v.fonts.statement->FontSize,
                  ImVec2(l.margin, l.margin + (admin_close_height(v) - v.fonts.statement->FontSize) * 0.5f), im_colour(p.text),
                  v.text("admin_title").c_str());

    // The facts: label and value, one row each, small (for IT, at arm's length).
    ImFont* font = v.fonts.admin;
    const float row_h = font->FontSize * 1.3f;
    const float label_w = l.portrait ? l.width * 0.36f : l.width * 0.24f;
    const float value_x = l.margin + label_w;
    const float value_w = l.width - value_x - l.margin;
    float y = l.margin + close_h + l.margin;
    if (v.admin_info) {
        for (const Row& r : rows_for(v, *v.admin_info)) {
            list->AddText(font, font->FontSize, ImVec2(l.margin, y), im_colour(p.muted), r.label.c_str());
            const std::string value = shortened(r.value, l.portrait ? 70 : 110);
            list->AddText(font, font->FontSize, ImVec2(value_x, y), im_colour(r.alert ? p.fault : p.text),
                          value.c_str(), nullptr, value_w);
            const ImVec2 size = font->CalcTextSizeA(font->FontSize, value_w, value_w, value.c_str());
            y += std::max(row_h, size.y + font->FontSize * 0.3f);
        }
    }

    // The actions, along the bottom within reach (portrait: two rows of two).
    const AdminInfo* info = v.admin_info;
    const bool backlight = info && info->brightness_percent;
    // Only the actions this terminal has, in this order.
    enum class Action { upload, touch_test, brightness, restart };
    std::vector<Action> actions;
    if (info && !info->endpoint.empty()) actions.push_back(Action::upload);
    actions.push_back(Action::touch_test);
    if (backlight) actions.push_back(Action::brightness);
    actions.push_back(Action::restart);
    const float gap = l.min_gap() * 2;
    const float h = std::max(l.min_target(), 96 * l.scale);
    const int per_row = l.portrait ? 2 : 4;
    const float w = (l.width - 2 * l.margin - gap * (per_row - 1)) / per_row;
    const int rows = (static_cast<int>(actions.size()) + per_row - 1) / per_row;
    const float rows_h = rows * h + (rows - 1) * gap;
    const float top = l.reach_bottom - l.margin - rows_h;
    const auto slot = [&](int k) {
        const float x = l.margin + (k % per_row) * (w + gap);
        const float sy = top + (k / per_row) * (h + gap);
        return std::pair<ImVec2, ImVec2>{ImVec2(x, sy), ImVec2(x + w, sy + h)};
    };
    const std::string upload_label = v.text(info && info->upload_requested ? "admin_upload_started" : "admin_upload_now");
    for (std::size_t k = 0; k < actions.size(); ++k) {
        auto [a0, a1] = slot(static_cast<int>(k));
        switch (actions[k]) {
            case Action::upload:
                if (touch_button(v, "admin-upload-now", a0, a1, action_look(v, upload_label.c_str()))) {
                    intent = admin_intent(AdminAction::upload_now);
                }
                break;
            case Action::touch_test:
                if (touch_button(v, "admin-touch-test", a0, a1, action_look(v, v.text("admin_touch_test").c_str()))) {
                    intent = admin_intent(AdminAction::touch_test);
                }
                break;
            case Action::brightness: {
                // − and + either side of the level, drawn as bars (the font has no minus sign).
                const float side = std::min(h, w * 0.3f);
                if (touch_button(v, "brightness-down", a0, ImVec2(a0.x + side, a1.y), action_look(v, nullptr))) {
                    intent = admin_intent(AdminAction::brightness, -1);
                }
                if (touch_button(v, "brightness-up", ImVec2(a1.x - side, a0.y), a1, action_look(v, nullptr))) {
                    intent = admin_intent(AdminAction::brightness, +1);
                }
                const float bar = side * 0.36f, thick = std::max(3.0f, side * 0.06f), mid_y = (a0.y + a1.y) * 0.5f;
                for (const float cx : {a0.x + side * 0.5f, a1.x - side * 0.5f}) {
                    list->AddRectFilled(ImVec2(cx - bar * 0.5f, mid_y - thick * 0.5f),
                                        ImVec2(cx + bar * 0.5f, mid_y + thick * 0.5f), im_colour(p.text));
                }
                const float plus_x = a1.x - side * 0.5f;
                list->AddRectFilled(ImVec2(plus_x - thick * 0.5f, mid_y - bar * 0.5f),
                                    ImVec2(plus_x + thick * 0.5f, mid_y + bar * 0.5f), im_colour(p.text));
                const std::string level = fill_placeholders(v.text("admin_brightness"),
                                                            {{"percent", std::to_string(*info->brightness_percent)}});
                text_block(list, v.fonts.admin, level, (a0.x + a1.x) * 0.5f, mid_y - v.fonts.admin->FontSize * 0.6f,
                           w - 2 * side, p.text, 2);
                break;
            }
            case Action::restart: {
                ButtonLook restart = action_look(v, v.text("admin_restart").c_str());
                restart.border = p.fault;
                restart.text = p.fault;
                if (touch_button(v, "admin-restart", a0, a1, restart)) intent = admin_intent(AdminAction::restart);
                break;
            }
        }
    }
    end_canvas();
    return intent;
}

}  // namespace pulse
