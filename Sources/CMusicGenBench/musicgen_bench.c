// See include/musicgen_bench.h.
#include "musicgen_bench.h"

#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dnnl.h>

void riffle_mgb_sgemv_rows(const float *weight, int out, int in, const float *x, int rows, float *y) {
    for (int r = 0; r < rows; r++) {
        cblas_sgemv(CblasRowMajor, CblasNoTrans, out, in, 1, weight, in, x + (size_t)r * in, 1, 0, y + (size_t)r * out, 1);
    }
}

void riffle_mgb_sgemm(const float *weight, int out, int in, const float *x, int rows, float *y) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, out, in, 1, x, in, weight, in, 0, y, out);
}

void riffle_mgb_openblas_set_threads(int threads) { openblas_set_num_threads(threads); }
int riffle_mgb_openblas_threads(void) { return openblas_get_num_threads(); }

struct riffle_mgb_dnnl {
    int kind, rows, out, in;
    float x_scale;  // S8: x ≈ x_scale · q
    dnnl_engine_t engine;
    dnnl_stream_t stream;
    dnnl_primitive_t matmul;
    dnnl_memory_t src, weights, dst;
    void *src_buffer;
    size_t weight_bytes;
};

#define CHECK(call, what)                                                                          \
    do {                                                                                           \
        dnnl_status_t status_ = (call);                                                            \
        if (status_ != dnnl_success) {                                                             \
            snprintf(error, error_size, "oneDNN: %s failed (status %d)", what, (int)status_);     \
            riffle_mgb_dnnl_free(m);                                                               \
            return NULL;                                                                           \
        }                                                                                          \
    } while (0)

static uint16_t to_bf16(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    bits += 0x7fff + ((bits >> 16) & 1);  // round to nearest even (finite values)
    return (uint16_t)(bits >> 16);
}

riffle_mgb_dnnl *riffle_mgb_dnnl_create(int kind, int rows, int out, int in, const float *weight, float x_max_abs,
                                        char *error, size_t error_size) {
    riffle_mgb_dnnl *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(error, error_size, "out of memory");
        return NULL;
    }
    m->kind = kind;
    m->rows = rows;
    m->out = out;
    m->in = in;
    m->x_scale = x_max_abs > 0 ? x_max_abs / 127.0f : 1.0f;
    CHECK(dnnl_engine_create(&m->engine, dnnl_cpu, 0), "engine");
    CHECK(dnnl_stream_create(&m->stream, m->engine, dnnl_stream_default_flags), "stream");

    dnnl_data_type_t type = kind == RIFFLE_MGB_DNNL_BF16 ? dnnl_bf16 : kind == RIFFLE_MGB_DNNL_S8 ? dnnl_s8 : dnnl_f32;
    dnnl_dims_t src_dims = {rows, in}, weight_dims = {in, out}, dst_dims = {rows, out};
    dnnl_memory_desc_t src_md, weight_any_md, weight_user_md, dst_md;
    CHECK(dnnl_memory_desc_init_by_tag(&src_md, 2, src_dims, type, dnnl_ab), "src desc");
    CHECK(dnnl_memory_desc_init_by_tag(&weight_any_md, 2, weight_dims, type, dnnl_format_tag_any), "weights desc");
    // W is out × in row-major: as the in × out matrix matmul wants, that is layout "ba".
    CHECK(dnnl_memory_desc_init_by_tag(&weight_user_md, 2, weight_dims, dnnl_f32, dnnl_ba), "user weights desc");
    CHECK(dnnl_memory_desc_init_by_tag(&dst_md, 2, dst_dims, dnnl_f32, dnnl_ab), "dst desc");

    // S8: the weights quantized here (per output row, symmetric), then reordered s8 → s8 like the others.
    int8_t *quantized = NULL;
    dnnl_primitive_attr_t attr = NULL;
    if (kind == RIFFLE_MGB_DNNL_S8) {
        quantized = malloc((size_t)out * (size_t)in);
        float *output_scales = malloc(sizeof(float) * (size_t)out);
        if (!quantized || !output_scales) {
            free(quantized);
            free(output_scales);
            CHECK(dnnl_out_of_memory, "quantized weights");
        }
        for (int o = 0; o < out; o++) {
            const float *row = weight + (size_t)o * in;
            float maxabs = 0;
            for (int i = 0; i < in; i++) maxabs = fmaxf(maxabs, fabsf(row[i]));
            float scale = maxabs > 0 ? maxabs / 127.0f : 1.0f;
            for (int i = 0; i < in; i++) quantized[(size_t)o * in + i] = (int8_t)nearbyintf(row[i] / scale);
            output_scales[o] = scale * m->x_scale;
        }
        dnnl_primitive_attr_create(&attr);
        dnnl_primitive_attr_set_output_scales(attr, out, 1 << 1, output_scales);
        free(output_scales);
        CHECK(dnnl_memory_desc_init_by_tag(&weight_user_md, 2, weight_dims, dnnl_s8, dnnl_ba), "user weights desc");
    }

    dnnl_matmul_desc_t matmul_desc;
    CHECK(dnnl_matmul_desc_init(&matmul_desc, &src_md, &weight_any_md, NULL, &dst_md), "matmul desc");
    dnnl_primitive_desc_t pd = NULL;
    dnnl_status_t status = dnnl_primitive_desc_create(&pd, &matmul_desc, attr, m->engine, NULL);
    if (attr) dnnl_primitive_attr_destroy(attr);
    if (status != dnnl_success) {
        free(quantized);
        snprintf(error, error_size, "oneDNN: no matmul for this kind and shape (status %d)", (int)status);
        riffle_mgb_dnnl_free(m);
        return NULL;
    }
    const dnnl_memory_desc_t *weight_md = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
    m->weight_bytes = dnnl_memory_desc_get_size(weight_md);
    status = dnnl_primitive_create(&m->matmul, pd);
    dnnl_memory_desc_t chosen = *weight_md;
    dnnl_primitive_desc_destroy(pd);
    if (status != dnnl_success) {
        free(quantized);
        snprintf(error, error_size, "oneDNN: matmul creation failed (status %d)", (int)status);
        riffle_mgb_dnnl_free(m);
        return NULL;
    }

    // The weights, reordered (and converted) once into the layout the matmul chose.
    CHECK(dnnl_memory_create(&m->weights, &chosen, m->engine, DNNL_MEMORY_ALLOCATE), "weights memory");
    dnnl_memory_t user = NULL;
    status = dnnl_memory_create(&user, &weight_user_md, m->engine, quantized ? (void *)quantized : (void *)weight);
    dnnl_primitive_desc_t reorder_pd = NULL;
    if (status == dnnl_success) {
        status = dnnl_reorder_primitive_desc_create(&reorder_pd, &weight_user_md, m->engine, &chosen, m->engine, NULL);
    }
    if (status != dnnl_success) {
        if (user) dnnl_memory_destroy(user);
        free(quantized);
        snprintf(error, error_size, "oneDNN: weight reorder failed (status %d)", (int)status);
        riffle_mgb_dnnl_free(m);
        return NULL;
    }
    dnnl_primitive_t reorder = NULL;
    dnnl_primitive_create(&reorder, reorder_pd);
    dnnl_primitive_desc_destroy(reorder_pd);
    dnnl_exec_arg_t reorder_args[2] = {{DNNL_ARG_FROM, user}, {DNNL_ARG_TO, m->weights}};
    status = dnnl_primitive_execute(reorder, m->stream, 2, reorder_args);
    dnnl_stream_wait(m->stream);
    dnnl_primitive_destroy(reorder);
    dnnl_memory_destroy(user);
    free(quantized);
    if (status != dnnl_success) {
        snprintf(error, error_size, "oneDNN: weight reorder failed (status %d)", (int)status);
        riffle_mgb_dnnl_free(m);
        return NULL;
    }

    size_t element = kind == RIFFLE_MGB_DNNL_F32 ? 4 : kind == RIFFLE_MGB_DNNL_BF16 ? 2 : 1;
    m->src_buffer = aligned_alloc(64, ((size_t)rows * in * element + 63) / 64 * 64);
    if (!m->src_buffer) CHECK(dnnl_out_of_memory, "src buffer");
    CHECK(dnnl_memory_create(&m->src, &src_md, m->engine, m->src_buffer), "src memory");
    CHECK(dnnl_memory_create(&m->dst, &dst_md, m->engine, DNNL_MEMORY_NONE), "dst memory");
    return m;
}

int riffle_mgb_dnnl_run(riffle_mgb_dnnl *m, const float *x, float *y) {
    const size_t count = (size_t)m->rows * (size_t)m->in;
    switch (m->kind) {
    case RIFFLE_MGB_DNNL_BF16: {
        uint16_t *b = m->src_buffer;
        for (size_t i = 0; i < count; i++) b[i] = to_bf16(x[i]);
        break;
    }
    case RIFFLE_MGB_DNNL_S8: {
        int8_t *q = m->src_buffer;
        const float inverse = 1.0f / m->x_scale;
        for (size_t i = 0; i < count; i++) {
            float v = nearbyintf(x[i] * inverse);
            q[i] = (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
        }
        break;
    }
    default:
        dnnl_memory_set_data_handle(m->src, (void *)x);  // f32: no conversion, no copy
        break;
    }
    dnnl_memory_set_data_handle(m->dst, y);
    dnnl_exec_arg_t args[3] = {{DNNL_ARG_SRC, m->src}, {DNNL_ARG_WEIGHTS, m->weights}, {DNNL_ARG_DST, m->dst}};
    if (dnnl_primitive_execute(m->matmul, m->stream, 3, args) != dnnl_success) return -1;
    return dnnl_stream_wait(m->stream) == dnnl_success ? 0 : -1;
}

size_t riffle_mgb_dnnl_weight_bytes(const riffle_mgb_dnnl *m) { return m->weight_bytes; }

void riffle_mgb_dnnl_free(riffle_mgb_dnnl *m) {
    if (!m) return;
    if (m->matmul) dnnl_primitive_destroy(m->matmul);
    if (m->src) dnnl_memory_destroy(m->src);
    if (m->weights) dnnl_memory_destroy(m->weights);
    if (m->dst) dnnl_memory_destroy(m->dst);
    if (m->stream) dnnl_stream_destroy(m->stream);
    if (m->engine) dnnl_engine_destroy(m->engine);
    free(m->src_buffer);
    free(m);
}
