// libsentencepiece has only a C++ API; Swift reaches it through these few extern "C" functions.
#include "sentencepiece_shim.h"

#include <sentencepiece_processor.h>

#include <cstring>
#include <new>
#include <string>
#include <vector>

struct riffle_spm {
    sentencepiece::SentencePieceProcessor processor;
};

static void say(char *error, size_t size, const std::string &message) {
    if (error == nullptr || size == 0) return;
    std::strncpy(error, message.c_str(), size - 1);
    error[size - 1] = '\0';
}

riffle_spm *riffle_spm_load(const char *path, char *error, size_t error_size) {
    auto *made = new (std::nothrow) riffle_spm();
    if (made == nullptr) {
        say(error, error_size, "out of memory");
        return nullptr;
    }
    const auto status = made->processor.Load(path);
    if (!status.ok()) {
        say(error, error_size, status.ToString());
        delete made;
        return nullptr;
    }
    return made;
}

void riffle_spm_free(riffle_spm *processor) { delete processor; }

long riffle_spm_encode(const riffle_spm *processor, const char *text, size_t length, int *ids, long capacity,
                       char *error, size_t error_size) {
    std::vector<int> pieces;
    const auto status = processor->processor.Encode(std::string(text, length), &pieces);
    if (!status.ok()) {
        say(error, error_size, status.ToString());
        return -1;
    }
    const long count = static_cast<long>(pieces.size());
    for (long index = 0; index < count && index < capacity; ++index) ids[index] = pieces[index];
    return count;
}

int riffle_spm_eos_id(const riffle_spm *processor) { return processor->processor.eos_id(); }

int riffle_spm_piece_count(const riffle_spm *processor) { return processor->processor.GetPieceSize(); }
