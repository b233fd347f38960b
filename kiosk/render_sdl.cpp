// render_sdl.cpp — ImGui draw data to SDL_Renderer calls (see render_sdl.hpp).
#include "kiosk/render_sdl.hpp"

#include <SDL.h>
#include <imgui.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace pulse {

namespace {

// The index pattern ImGui's PrimRect writes for an axis-aligned quad.
bool is_opaque_rect(const ImDrawVert* v, const ImDrawIdx* idx, const ImVec2& white, SDL_FRect* rect) {
    const ImDrawIdx a = idx[0];
    if (idx[1] != a + 1 || idx[2] != a + 2 || idx[3] != a || idx[4] != a + 2 || idx[5] != a + 3) return false;
    const ImDrawVert* q = v + a;
    for (int i = 0; i < 4; ++i) {
        if (q[i].uv.x != white.x || q[i].uv.y != white.y || q[i].col != q[0].col) return false;
    }
    if ((q[0].col >> IM_COL32_A_SHIFT & 0xFF) != 0xFF) return false;
    if (q[0].pos.y != q[1].pos.y || q[1].pos.x != q[2].pos.x || q[2].pos.y != q[3].pos.y || q[3].pos.x != q[0].pos.x)
        return false;
    *rect = SDL_FRect{q[0].pos.x, q[0].pos.y, q[2].pos.x - q[0].pos.x, q[2].pos.y - q[0].pos.y};
    return rect->w > 0 && rect->h > 0;
}

// [SECTION] Opaque convex fans as spans
//
// ImGui fills convex shapes (rounded rectangles, circles) as fans of opaque
// triangles. SDL's software renderer rasterizes each triangle pixel by
// pixel; the same pixels as horizontal spans, merged into rectangles where
// rows repeat, cost a few dozen SDL_RenderFillRects instead. The spans are
// exactly the pixels SDL itself would fill (SDL_triangle.c): vertices
// truncated to whole pixels, a pixel taken when its centre is inside,
// centres on an edge decided by the top-left rule. So shapes meet their
// anti-aliased fringes, which SDL still draws, without a gap.

// A vertex as SDL's software renderer places it: truncated to a pixel,
// in half-pixel units.
struct HalfPoint {
    std::int64_t x, y;
};

HalfPoint sdl_vertex(const ImVec2& p) {
    return {static_cast<std::int64_t>(static_cast<int>(p.x)) * 2, static_cast<std::int64_t>(static_cast<int>(p.y)) * 2};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return -floor_div(-a, b); }

// SDL's top-left rule for the edge a→b of a triangle of this winding.
bool is_top_left(const HalfPoint& a, const HalfPoint& b, bool clockwise) {
    if (clockwise) return (a.y == b.y && a.x < b.x) || b.y < a.y;
    return (a.y == b.y && b.x < a.x) || a.y < b.y;
}

// Narrows [x_lo, x_hi] to the pixels of the row whose centre is at py (half
// units) that lie inside edge from→to of a shape of this winding, by SDL's
// rule: w = (to.x-from.x)(Py-from.y) - (to.y-from.y)(Px-from.x), negated for
// counter-clockwise shapes, inside when w + bias >= 0 (bias -1 off the
// top-left edges). With Px = 2x + 1 for pixel x that is A·x + B >= 0.
void narrow_to_edge(const HalfPoint& from, const HalfPoint& to, bool clockwise, std::int64_t py, std::int64_t& x_lo,
                    std::int64_t& x_hi) {
    const std::int64_t s = clockwise ? 1 : -1;
    const std::int64_t bias = is_top_left(from, to, clockwise) ? 0 : -1;
    const std::int64_t slope = -s * (to.y - from.y);
    const std::int64_t at_zero = s * ((to.x - from.x) * (py - from.y) + (to.y - from.y) * from.x) + bias;
    const std::int64_t A = 2 * slope, B = slope + at_zero;
    if (A > 0) x_lo = std::max(x_lo, ceil_div(-B, A));
    else if (A < 0) x_hi = std::min(x_hi, floor_div(-B, A));
    else if (B < 0) x_hi = x_lo - 1;  // a horizontal edge with this row outside it
}

// One row's run of pixels [x_lo, x_hi].
struct Run {
    int row, x_lo, x_hi;
};

// The pixels SDL would fill for triangle (a, b, c), within clip, as runs.
void triangle_runs(const HalfPoint& a, const HalfPoint& b, const HalfPoint& c, const SDL_Rect& clip,
                   std::vector<Run>& out) {
    const std::int64_t area = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
    if (area == 0) return;  // SDL draws nothing for a flat triangle
    const bool clockwise = area > 0;
    const HalfPoint corners[3] = {a, b, c};
    const std::int64_t min_y = std::min({a.y, b.y, c.y}), max_y = std::max({a.y, b.y, c.y});
    const std::int64_t min_x = std::min({a.x, b.x, c.x}), max_x = std::max({a.x, b.x, c.x});
    // SDL's bounding rectangle of the triangle, in pixels.
    const std::int64_t first_row = std::max<std::int64_t>(clip.y, min_y >> 1);
    const std::int64_t end_row = std::min<std::int64_t>(clip.y + clip.h, (min_y >> 1) + ((max_y - min_y) >> 1));
    const std::int64_t first_x = std::max<std::int64_t>(clip.x, min_x >> 1);
    const std::int64_t end_x = std::min<std::int64_t>(clip.x + clip.w, (min_x >> 1) + ((max_x - min_x) >> 1));
    for (std::int64_t row = first_row; row < end_row; ++row) {
        const std::int64_t py = 2 * row + 1;
        std::int64_t x_lo = first_x, x_hi = end_x - 1;
        // Edges b→c, c→a, a→b, as SDL's w0, w1, w2.
        for (int e = 0; e < 3 && x_lo <= x_hi; ++e) {
            narrow_to_edge(corners[(e + 1) % 3], corners[(e + 2) % 3], clockwise, py, x_lo, x_hi);
        }
        if (x_lo <= x_hi) out.push_back({static_cast<int>(row), static_cast<int>(x_lo), static_cast<int>(x_hi)});
    }
}

// The same for a whole fan at once when its corners, as SDL places them, make
// a convex polygon: then the fan's triangles, each filled by SDL's rule,
// together fill exactly the polygon's pixels by that rule (the top-left rule
// gives a pixel on a shared edge to one triangle only), and each row is one
// run bounded by two edges. Runs come out in row order. False, with nothing
// added, when the corners do not make a convex polygon.
bool convex_runs(const std::vector<HalfPoint>& p, const SDL_Rect& clip, std::vector<Run>& out) {
    const std::size_t n = p.size();
    // Every fan triangle (p0, pi, pi+1) turns the same way or is flat (SDL
    // skips those) ...
    int sign = 0;
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const std::int64_t area = (p[i].x - p[0].x) * (p[i + 1].y - p[0].y) - (p[i].y - p[0].y) * (p[i + 1].x - p[0].x);
        if (area == 0) continue;
        if (sign != 0 && (area > 0 ? 1 : -1) != sign) return false;
        sign = area > 0 ? 1 : -1;
    }
    if (sign == 0) return true;  // no area: SDL draws nothing either
    // ... and the outline, without repeated corners, turns that way at every
    // corner or goes straight on (truncation to whole pixels can fold a thin
    // shape back on itself; then the triangles are drawn one by one).
    std::vector<HalfPoint> outline;
    for (const HalfPoint& q : p) {
        if (outline.empty() || outline.back().x != q.x || outline.back().y != q.y) outline.push_back(q);
    }
    while (outline.size() > 1 && outline.back().x == outline.front().x && outline.back().y == outline.front().y) {
        outline.pop_back();
    }
    const std::size_t m = outline.size();
    for (std::size_t i = 0; i < m && m >= 3; ++i) {
        const HalfPoint& a = outline[i];
        const HalfPoint& b = outline[(i + 1) % m];
        const HalfPoint& c = outline[(i + 2) % m];
        const std::int64_t turn = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x);
        const std::int64_t onward = (b.x - a.x) * (c.x - b.x) + (b.y - a.y) * (c.y - b.y);
        if (turn != 0 ? (turn > 0 ? 1 : -1) != sign : onward <= 0) return false;
    }
    const bool clockwise = sign > 0;
    std::int64_t min_y = p[0].y, max_y = p[0].y;
    for (const HalfPoint& q : p) {
        min_y = std::min(min_y, q.y);
        max_y = std::max(max_y, q.y);
    }
    // Pixel centres are odd in half units, corners even: a row meets an
    // edge strictly inside its height, and only those edges bound it.
    const std::int64_t first_row = std::max<std::int64_t>(clip.y, min_y / 2);
    const std::int64_t end_row = std::min<std::int64_t>(clip.y + clip.h, max_y / 2);
    if (first_row >= end_row) return true;
    const std::size_t start = out.size();
    for (std::int64_t row = first_row; row < end_row; ++row) {
        out.push_back({static_cast<int>(row), clip.x, clip.x + clip.w - 1});
    }
    for (std::size_t i = 0; i < n; ++i) {
        const HalfPoint& a = p[i];
        const HalfPoint& b = p[(i + 1) % n];
        if (a.y == b.y) continue;
        const std::int64_t top = std::min(a.y, b.y), bottom = std::max(a.y, b.y);
        const std::int64_t from_row = std::max(first_row, top / 2), to_row = std::min(end_row, bottom / 2);
        for (std::int64_t row = from_row; row < to_row; ++row) {
            Run& run = out[start + static_cast<std::size_t>(row - first_row)];
            std::int64_t lo = run.x_lo, hi = run.x_hi;
            narrow_to_edge(a, b, clockwise, 2 * row + 1, lo, hi);
            run.x_lo = static_cast<int>(lo);
            run.x_hi = static_cast<int>(hi);
        }
    }
    // Rows the polygon does not reach in clip are empty runs: drop them.
    out.erase(std::remove_if(out.begin() + static_cast<std::ptrdiff_t>(start), out.end(),
                             [](const Run& r) { return r.x_lo > r.x_hi; }),
              out.end());
    return true;
}

// Puts runs in row order, and in x order within a row, through scratch: a
// counting sort by row (a fan's triangles each give thousands of runs in row
// order, so a comparison sort of them all cost a tenth of a frame), then
// insertion within each row, which holds one run per triangle crossing it.
// A fan's triangles are in angular order around its first corner, so a row
// meets them in x order or in reverse: reversed first, insertion is linear.
void sort_runs(std::vector<Run>& runs, std::vector<Run>& scratch, std::vector<std::size_t>& row_start) {
    if (runs.empty()) return;
    int first = runs[0].row, last = runs[0].row;
    for (const Run& r : runs) {
        first = std::min(first, r.row);
        last = std::max(last, r.row);
    }
    row_start.assign(static_cast<std::size_t>(last - first) + 2, 0);
    for (const Run& r : runs) ++row_start[static_cast<std::size_t>(r.row - first) + 1];
    for (std::size_t i = 1; i < row_start.size(); ++i) row_start[i] += row_start[i - 1];
    scratch.resize(runs.size());
    for (const Run& r : runs) scratch[row_start[static_cast<std::size_t>(r.row - first)]++] = r;
    // row_start[k] is now the end of row k, the start of row k + 1.
    std::size_t begin = 0;
    for (std::size_t k = 0; k + 1 < row_start.size(); ++k) {
        const std::size_t end = row_start[k];
        if (end - begin > 1 && scratch[begin].x_lo > scratch[end - 1].x_lo) {
            std::reverse(scratch.begin() + static_cast<std::ptrdiff_t>(begin),
                         scratch.begin() + static_cast<std::ptrdiff_t>(end));
        }
        for (std::size_t i = begin + 1; i < end; ++i) {
            const Run r = scratch[i];
            std::size_t j = i;
            for (; j > begin && scratch[j - 1].x_lo > r.x_lo; --j) scratch[j] = scratch[j - 1];
            scratch[j] = r;
        }
        begin = end;
    }
    runs.swap(scratch);
}

// fan_rects' working vectors, the caller's, reused from fan to fan.
struct FanScratch {
    std::vector<HalfPoint> points;      // the corners as SDL places them
    std::vector<Run> runs;              // their pixels, row by row
    std::vector<Run> sorted;            // sort_runs' output
    std::vector<std::size_t> row_start; // sort_runs' row index
};

// The pixels SDL would fill for the fan (c0, c1, c2), (c0, c2, c3), …, within
// clip, as rectangles appended to out: each row's runs joined, and rows with
// the same single run merged into one rectangle.

void fan_rects(const std::vector<ImVec2>& corners, const SDL_Rect& clip, FanScratch& scratch,
               std::vector<SDL_Rect>& out) {
    std::vector<HalfPoint>& points = scratch.points;
    std::vector<Run>& runs = scratch.runs;
    runs.clear();
    points.clear();
    for (const ImVec2& c : corners) points.push_back(sdl_vertex(c));
    if (!convex_runs(points, clip, runs)) {
        // Truncation to whole pixels made the outline slightly concave: each
        // triangle by SDL's rule, then the runs in row order.
        runs.clear();
        for (std::size_t i = 1; i + 1 < points.size(); ++i) {
            triangle_runs(points[0], points[i], points[i + 1], clip, runs);
        }
        sort_runs(runs, scratch.sorted, scratch.row_start);
    }
    std::size_t i = 0;
    while (i < runs.size()) {
        Run joined = runs[i++];
        while (i < runs.size() && runs[i].row == joined.row && runs[i].x_lo <= joined.x_hi + 1) {
            joined.x_hi = std::max(joined.x_hi, runs[i++].x_hi);
        }
        const bool alone = i >= runs.size() || runs[i].row != joined.row;
        SDL_Rect* last = out.empty() ? nullptr : &out.back();
        if (alone && last && last->x == joined.x_lo && last->w == joined.x_hi - joined.x_lo + 1 &&
            last->y + last->h == joined.row) {
            ++last->h;
        } else {
            out.push_back(SDL_Rect{joined.x_lo, joined.row, joined.x_hi - joined.x_lo + 1, 1});
        }
    }
}

// How a triangle is drawn. Solid triangles sample only the atlas's white
// pixel, so they need no texture; opaque ones need no blending either.
enum class Kind { textured, solid_blended, solid_opaque };

// Triangles of one kind collected for one SDL_RenderGeometryRaw call.
struct Batch {
    std::vector<int> indices;
    Kind kind = Kind::textured;
};

Kind kind_of(const ImDrawVert& a, const ImDrawVert& b, const ImDrawVert& c, const ImVec2& white) {
    auto is_white = [&](const ImDrawVert& v) { return v.uv.x == white.x && v.uv.y == white.y; };
    auto opaque = [](const ImDrawVert& v) { return (v.col >> IM_COL32_A_SHIFT & 0xFF) == 0xFF; };
    if (!is_white(a) || !is_white(b) || !is_white(c)) return Kind::textured;
    return opaque(a) && opaque(b) && opaque(c) ? Kind::solid_opaque : Kind::solid_blended;
}

}  // namespace

void render_draw_data(SDL_Renderer* renderer, ImDrawData* draw_data, bool fans_as_rects) {
    const int fb_width = static_cast<int>(draw_data->DisplaySize.x * draw_data->FramebufferScale.x);
    const int fb_height = static_cast<int>(draw_data->DisplaySize.y * draw_data->FramebufferScale.y);
    if (fb_width <= 0 || fb_height <= 0) return;
    const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;
    const ImVec2 clip_off = draw_data->DisplayPos;
    const ImVec2 clip_scale = draw_data->FramebufferScale;

    SDL_Rect old_viewport;
    SDL_Rect old_clip;
    const bool old_clip_enabled = SDL_RenderIsClipEnabled(renderer) == SDL_TRUE;
    SDL_RenderGetViewport(renderer, &old_viewport);
    SDL_RenderGetClipRect(renderer, &old_clip);
    SDL_RenderSetViewport(renderer, nullptr);

    Batch batch;
    std::vector<ImVec2> fan;       // corners of an opaque fan being drawn as spans
    FanScratch fan_scratch;        // its pixels, row by row
    std::vector<SDL_Rect> spans;   // the same as rectangles
    for (int n = 0; n < draw_data->CmdListsCount; ++n) {
        const ImDrawList* list = draw_data->CmdLists[n];
        const ImDrawVert* vtx = list->VtxBuffer.Data;
        const ImDrawIdx* idx = list->IdxBuffer.Data;
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            if (cmd.UserCallback) {
                if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
                continue;
            }
            ImVec2 clip_min((cmd.ClipRect.x - clip_off.x) * clip_scale.x, (cmd.ClipRect.y - clip_off.y) * clip_scale.y);
            ImVec2 clip_max((cmd.ClipRect.z - clip_off.x) * clip_scale.x, (cmd.ClipRect.w - clip_off.y) * clip_scale.y);
            if (clip_min.x < 0) clip_min.x = 0;
            if (clip_min.y < 0) clip_min.y = 0;
            if (clip_max.x > static_cast<float>(fb_width)) clip_max.x = static_cast<float>(fb_width);
            if (clip_max.y > static_cast<float>(fb_height)) clip_max.y = static_cast<float>(fb_height);
            if (clip_max.x <= clip_min.x || clip_max.y <= clip_min.y) continue;
            const SDL_Rect clip{static_cast<int>(clip_min.x), static_cast<int>(clip_min.y),
                                static_cast<int>(clip_max.x - clip_min.x), static_cast<int>(clip_max.y - clip_min.y)};
            SDL_RenderSetClipRect(renderer, &clip);

            const ImDrawVert* v = vtx + cmd.VtxOffset;
            const ImDrawIdx* ix = idx + cmd.IdxOffset;
            SDL_Texture* texture = static_cast<SDL_Texture*>(cmd.GetTexID());
            const int vertex_count = list->VtxBuffer.Size - static_cast<int>(cmd.VtxOffset);
            auto flush = [&] {
                if (batch.indices.empty()) return;
                const bool textured = batch.kind == Kind::textured;
                SDL_SetRenderDrawBlendMode(renderer, batch.kind == Kind::solid_opaque ? SDL_BLENDMODE_NONE
                                                                                       : SDL_BLENDMODE_BLEND);
                SDL_RenderGeometryRaw(renderer, textured ? texture : nullptr,
                                      &v->pos.x, static_cast<int>(sizeof(ImDrawVert)),
                                      reinterpret_cast<const SDL_Color*>(&v->col), static_cast<int>(sizeof(ImDrawVert)),
                                      textured ? &v->uv.x : nullptr, static_cast<int>(sizeof(ImDrawVert)),
                                      vertex_count, batch.indices.data(), static_cast<int>(batch.indices.size()),
                                      static_cast<int>(sizeof(int)));
                batch.indices.clear();
            };
            for (unsigned int t = 0; t + 3 <= cmd.ElemCount;) {
                SDL_FRect rect;
                if (t + 6 <= cmd.ElemCount && is_opaque_rect(v, ix + t, white, &rect)) {
                    flush();
                    const ImU32 c = v[ix[t]].col;
                    SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_NONE);
                    SDL_SetRenderDrawColor(renderer, c >> IM_COL32_R_SHIFT & 0xFF, c >> IM_COL32_G_SHIFT & 0xFF,
                                           c >> IM_COL32_B_SHIFT & 0xFF, 0xFF);
                    SDL_RenderFillRectF(renderer, &rect);
                    t += 6;
                    continue;
                }
                const Kind kind = kind_of(v[ix[t]], v[ix[t + 1]], v[ix[t + 2]], white);
                if (fans_as_rects && kind == Kind::solid_opaque && v[ix[t]].col == v[ix[t + 1]].col &&
                    v[ix[t]].col == v[ix[t + 2]].col) {
                    // A fan (a, b, c), (a, c, d), … of one colour: ImGui's convex fills.
                    const ImU32 colour = v[ix[t]].col;
                    fan.assign({v[ix[t]].pos, v[ix[t + 1]].pos, v[ix[t + 2]].pos});
                    unsigned int end = t + 3;
                    while (end + 3 <= cmd.ElemCount && ix[end] == ix[t] && ix[end + 1] == ix[end - 1] &&
                           v[ix[end + 2]].col == colour && v[ix[end + 1]].col == colour) {
                        fan.push_back(v[ix[end + 2]].pos);
                        end += 3;
                    }
                    flush();
                    spans.clear();
                    fan_rects(fan, clip, fan_scratch, spans);
                    if (!spans.empty()) {
                        SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_NONE);
                        SDL_SetRenderDrawColor(renderer, colour >> IM_COL32_R_SHIFT & 0xFF,
                                               colour >> IM_COL32_G_SHIFT & 0xFF, colour >> IM_COL32_B_SHIFT & 0xFF,
                                               0xFF);
                        SDL_RenderFillRects(renderer, spans.data(), static_cast<int>(spans.size()));
                    }
                    t = end;
                    continue;
                }
                if (!batch.indices.empty() && batch.kind != kind) flush();
                batch.kind = kind;
                batch.indices.push_back(ix[t]);
                batch.indices.push_back(ix[t + 1]);
                batch.indices.push_back(ix[t + 2]);
                t += 3;
            }
            flush();
        }
    }

    SDL_RenderSetViewport(renderer, &old_viewport);
    SDL_RenderSetClipRect(renderer, old_clip_enabled ? &old_clip : nullptr);
}

}  // namespace pulse
