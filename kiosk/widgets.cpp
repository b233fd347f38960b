// widgets.cpp — shared drawing pieces (see widgets.hpp).
#include "kiosk/widgets.hpp"

#include <algorithm>
#include <cmath>

namespace pulse {

ImU32 im_colour(Rgba c) {
    return IM_COL32((c >> 24) & 0xFF, (c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF);
}

Rgba with_alpha(Rgba c, float a) {
    const unsigned alpha = static_cast<unsigned>(std::lround(static_cast<float>(c & 0xFF) * std::clamp(a, 0.f, 1.f)));
    return (c & 0xFFFFFF00u) | alpha;
}

Rgba mix(Rgba a, Rgba b, float t) {
    auto ch = [&](int shift) {
        const float x = static_cast<float>((a >> shift) & 0xFF), y = static_cast<float>((b >> shift) & 0xFF);
        return static_cast<unsigned>(std::lround(x + (y - x) * t)) << shift;
    };
    return ch(24) | ch(16) | ch(8) | 0xFF;
}

Rgba darker(Rgba c, float amount) {
    auto ch = [&](int shift) {
        return static_cast<unsigned>(std::lround(static_cast<float>((c >> shift) & 0xFF) * (1 - amount))) << shift;
    };
    return ch(24) | ch(16) | ch(8) | (c & 0xFF);
}

float relative_luminance(Rgba c) {
    auto channel = [](unsigned v) {
        const float s = static_cast<float>(v) / 255.0f;
        return s <= 0.03928f ? s / 12.92f : std::pow((s + 0.055f) / 1.055f, 2.4f);
    };
    return 0.2126f * channel((c >> 24) & 0xFF) + 0.7152f * channel((c >> 16) & 0xFF) + 0.0722f * channel((c >> 8) & 0xFF);
}

float contrast_ratio(Rgba a, Rgba b) {
    const float la = relative_luminance(a), lb = relative_luminance(b);
    return (std::max(la, lb) + 0.05f) / (std::min(la, lb) + 0.05f);
}

Rgba readable_on(Rgba background, Rgba dark, Rgba light) {
    return contrast_ratio(background, dark) >= contrast_ratio(background, light) ? dark : light;
}

ImDrawList* begin_canvas(const View& view) {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(view.layout.width, view.layout.height));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
    ImGui::Begin("pulse", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoBringToFrontOnFocus |
                     ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoScrollWithMouse);
    return ImGui::GetWindowDrawList();  // the frame was cleared to the background colour
}

void end_canvas() {
    ImGui::End();
    ImGui::PopStyleVar(2);
}

bool touch_button(const View& view, const char* id, ImVec2 min, ImVec2 max, const ButtonLook& look) {
    ImGui::SetCursorScreenPos(min);
    const bool clicked = ImGui::InvisibleButton(id, ImVec2(max.x - min.x, max.y - min.y));
    const bool held = ImGui::IsItemActive();
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float rounding = std::min(max.y - min.y, max.x - min.x) * 0.12f;
    const Rgba fill = held ? darker(look.fill, 0.12f) : look.fill;
    list->AddRectFilled(min, max, im_colour(fill), rounding);
    if (look.border && look.border_px > 0) {
        const float inset = look.border_px * 0.5f;
        list->AddRect(ImVec2(min.x + inset, min.y + inset), ImVec2(max.x - inset, max.y - inset),
                      im_colour(look.border), rounding, 0, look.border_px);
    }
    if (look.font && look.label) {
        const float wrap = (max.x - min.x) * 0.92f;
        const float h = text_block_height(look.font, look.label, wrap, 2);
        const float top = min.y + (max.y - min.y) * look.label_y - h * 0.5f;
        text_block(list, look.font, look.label, (min.x + max.x) * 0.5f, top, wrap, look.text, 2);
    }
    if (view.hits) view.hits->push_back(Hit{id, min.x, min.y, max.x, max.y, look.fill});
    return clicked;
}

namespace {

// Splits text into the lines ImGui would wrap it into.
std::vector<std::string> wrap_lines(ImFont* font, const std::string& text, float wrap_width) {
    std::vector<std::string> lines;
    const float scale = 1.0f;  // fonts are loaded at their display size
    const char* s = text.c_str();
    const char* end = s + text.size();
    while (s < end) {
        const char* nl = std::find(s, end, '\n');
        const char* brk = font->CalcWordWrapPositionA(scale, s, nl, wrap_width);
        if (brk == s) brk = s + 1;  // a single glyph wider than the line: take it anyway
        std::string line(s, brk);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        lines.push_back(line);
        s = brk;
        while (s < end && *s == ' ') ++s;
        if (s < end && *s == '\n' && s == nl) ++s;
    }
    if (lines.empty()) lines.emplace_back();
    return lines;
}

}  // namespace

namespace {

// The smallest size text_block shrinks text to (set_legibility_floor_px).
float g_floor_px = 0;

// Lines of text at size (font drawn scaled to it).
std::vector<std::string> wrap_lines_at(ImFont* font, float size, const std::string& text, float wrap_width) {
    return wrap_lines(font, text, wrap_width * font->FontSize / size);
}

}  // namespace

void set_legibility_floor_px(float px) { g_floor_px = px; }
float legibility_floor_px() { return g_floor_px; }

float fitted_size(ImFont* font, const std::string& text, float wrap_width, int max_lines) {
    const float floor = g_floor_px > 0 ? std::min(font->FontSize, g_floor_px) : font->FontSize;  // unset: no shrinking
    float size = font->FontSize;
    while (size > floor && static_cast<int>(wrap_lines_at(font, size, text, wrap_width).size()) > max_lines) {
        size = std::max(floor, size * 0.96f);
    }
    return size;
}

float text_block_height(ImFont* font, const std::string& text, float wrap_width, int max_lines) {
    const float size = fitted_size(font, text, wrap_width, max_lines);  // a text is never cut: all its lines
    return static_cast<float>(wrap_lines_at(font, size, text, wrap_width).size()) * size * 1.15f;
}

float text_block(ImDrawList* list, ImFont* font, const std::string& text, float centre_x, float top,
                 float wrap_width, Rgba colour, int max_lines) {
    return text_block_sized(list, font, fitted_size(font, text, wrap_width, max_lines), text, centre_x, top,
                            wrap_width, colour, max_lines);
}

float text_block_sized(ImDrawList* list, ImFont* font, float size, const std::string& text, float centre_x, float top,
                       float wrap_width, Rgba colour, int max_lines, float line_spacing) {
    (void)max_lines;  // the caller fitted the size to it; a text is never cut
    const std::vector<std::string> lines = wrap_lines_at(font, size, text, wrap_width);
    const float line_h = size * line_spacing;
    float y = top;
    for (const std::string& line : lines) {
        const ImVec2 extent = font->CalcTextSizeA(size, 1e9f, 0, line.c_str());
        list->AddText(font, size, ImVec2(std::round(centre_x - extent.x * 0.5f), std::round(y)), im_colour(colour),
                      line.c_str());
        y += line_h;
    }
    return y - top;
}

float text_block_left(ImDrawList* list, ImFont* font, float size, const std::string& text, float left, float top,
                      float wrap_width, Rgba colour, float line_spacing) {
    float y = top;
    for (const std::string& line : wrap_lines_at(font, size, text, wrap_width)) {
        list->AddText(font, size, ImVec2(std::round(left), std::round(y)), im_colour(colour), line.c_str());
        y += size * line_spacing;
    }
    return y - top;
}

std::vector<std::string> lines_cut(ImFont* font, float size, const std::string& text, float wrap_width,
                                   int max_lines) {
    std::vector<std::string> lines = wrap_lines_at(font, size, text, wrap_width);
    if (max_lines < 1 || static_cast<int>(lines.size()) <= max_lines) return lines;
    lines.resize(static_cast<std::size_t>(max_lines));
    std::string& last = lines.back();
    const auto width = [&](const std::string& s) { return font->CalcTextSizeA(size, 1e9f, 0, s.c_str()).x; };
    // Whole words go until the line and its ellipsis fit; a lone word loses
    // whole characters (never half of a UTF-8 sequence).
    while (!last.empty() && width(last + "…") > wrap_width) {
        const std::size_t space = last.find_last_of(' ');
        if (space != std::string::npos && space > 0) {
            last.erase(space);
        } else {
            while (!last.empty()) {  // one character: its continuation bytes, then its first byte
                const unsigned char c = static_cast<unsigned char>(last.back());
                last.pop_back();
                if ((c & 0xC0) != 0x80) break;
            }
        }
    }
    while (!last.empty() && (last.back() == ' ' || last.back() == ',' || last.back() == '.')) last.pop_back();
    last += "…";
    return lines;
}

int line_count(ImFont* font, float size, const std::string& text, float wrap_width) {
    return static_cast<int>(wrap_lines_at(font, size, text, wrap_width).size());
}

float widest_word(ImFont* font, float size, const std::string& text) {
    float widest = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find_first_of(" \n", start);
        if (end == std::string::npos) end = text.size();
        const std::string word = text.substr(start, end - start);
        widest = std::max(widest, font->CalcTextSizeA(size, 1e9f, 0, word.c_str()).x);
        start = end + 1;
    }
    return widest;
}

void draw_face(ImDrawList* list, ImVec2 c, float r, int value, Rgba fill, Rgba outline, Rgba light) {
    const float stroke = std::max(2.0f, r * 0.08f);
    const Rgba ink = readable_on(fill, outline, light);
    list->AddCircleFilled(c, r, im_colour(fill), 0);
    list->AddCircle(c, r - stroke * 0.5f, im_colour(outline), 0, stroke);
    // Eyes: the same in all five faces.
    list->AddCircleFilled(ImVec2(c.x - r * 0.33f, c.y - r * 0.22f), r * 0.1f, im_colour(ink), 16);
    list->AddCircleFilled(ImVec2(c.x + r * 0.33f, c.y - r * 0.22f), r * 0.1f, im_colour(ink), 16);
    // Mouth: a parabola whose bend goes from frown (-1) to smile (+1).
    const float bend = static_cast<float>(value - 3) / 2.0f;
    const float half = r * 0.45f, base_y = c.y + r * 0.38f, depth = r * 0.22f;
    ImVec2 points[17];
    for (int i = 0; i <= 16; ++i) {
        const float t = static_cast<float>(i) / 16.0f * 2.0f - 1.0f;  // -1..1 across the mouth
        points[i] = ImVec2(c.x + t * half, base_y + bend * depth * (1.0f - t * t) - bend * depth * 0.5f);
    }
    list->AddPolyline(points, 17, im_colour(ink), 0, stroke * 1.2f);
}

void draw_check(ImDrawList* list, ImVec2 c, float r, Rgba fill, Rgba ink) {
    list->AddCircleFilled(c, r, im_colour(fill), 0);
    const ImVec2 points[3] = {ImVec2(c.x - r * 0.45f, c.y + r * 0.02f), ImVec2(c.x - r * 0.12f, c.y + r * 0.35f),
                              ImVec2(c.x + r * 0.48f, c.y - r * 0.32f)};
    list->AddPolyline(points, 3, im_colour(ink), 0, r * 0.16f);
}

}  // namespace pulse

namespace pulse {

Intent admin_intent(AdminAction action, int value) {
    Intent intent;
    intent.action = Intent::Action::admin;
    intent.admin = action;
    intent.value = value;
    return intent;
}

float admin_close_height(const View& v) {
    return std::max(v.layout.min_target(), v.fonts.button->FontSize * 1.15f + v.layout.mm(6));
}

float admin_close_button(const View& v, Intent* intent) {
    const Layout& l = v.layout;
    const float label_w = v.fonts.button->CalcTextSizeA(v.fonts.button->FontSize, 1e9f, 0, v.text("admin_close").c_str()).x;
    const float w = std::max({l.min_target() * 1.6f, 200 * l.scale, label_w / 0.92f + l.mm(4)});
    const float h = admin_close_height(v);
    ButtonLook look;
    look.fill = v.palette.card;
    look.border = v.palette.outline;
    look.border_px = std::max(2.0f, 3 * l.scale);
    look.font = v.fonts.button;
    look.label = v.text("admin_close").c_str();
    // Top right, but no higher than reach (a portrait panel's top is not).
    const float top = std::max(l.margin, l.reach_top);
    if (touch_button(v, "admin-close", ImVec2(l.width - l.margin - w, top), ImVec2(l.width - l.margin, top + h), look)) {
        *intent = admin_intent(AdminAction::close);
    }
    return top + h - l.margin;
}

Intent admin_corner(const View& view) {
    if (!view.admin) return {};
    const float side = view.layout.min_target();  // 20 mm
    ButtonLook look;
    look.fill = 0x00000000;  // invisible: nothing on screen invites it
    if (touch_button(view, "admin-corner", ImVec2(0, 0), ImVec2(side, side), look)) {
        return admin_intent(AdminAction::corner);
    }
    return {};
}

}  // namespace pulse
