// render_sdl.cpp — ImGui draw data to SDL_Renderer calls (see render_sdl.hpp).
#include "kiosk/render_sdl.hpp"

#include <SDL.h>
#include <imgui.h>

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

void render_draw_data(SDL_Renderer* renderer, ImDrawData* draw_data) {
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
