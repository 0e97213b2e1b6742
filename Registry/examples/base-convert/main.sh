# acme/base-convert: converts integers between bases 2 to 36.
#
# Runtime protocol: one JSON object on stdin, {"tool": name, "input": {...}}; one JSON object on stdout,
# {"output": {...}} or {"error": {"message": ...}}; exit status 0 in both cases.
#
# Written for POSIX sh (Debian's dash) using shell built-ins only: no sed, awk or other subprocess, not
# even a command substitution, so the package honestly declares `subprocess: false`.
# Arithmetic is the shell's signed 64-bit arithmetic: magnitudes up to 9223372036854775807 (2^63 - 1).
#
# JSON reading is deliberately narrow. It finds the few keys this package knows ("tool", "value", "from",
# "to", "uppercase") anywhere in the request: a key is a quoted name followed by `:` (so the same word as
# a string value never matches). String values must not contain escapes; numbers must be plain
# integers. The host validates the input against the manifest's schema before calling, which rules out
# everything else; called directly, unknown keys are ignored and the first of duplicate keys wins.

LOWER=0123456789abcdefghijklmnopqrstuvwxyz
UPPER=0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ
MAX=9223372036854775807

# Every message is built from fixed text and values checked to be [0-9A-Za-z_+-], so it needs no escaping.
fail() {
    printf '{"error":{"message":"%s"}}\n' "$1"
    exit 0
}

# skip_ws TEXT: sets _s to TEXT without leading white space.
skip_ws() {
    _s=$1
    while :; do
        case $_s in
            [[:space:]]*) _s=${_s#?} ;;
            *) return 0 ;;
        esac
    done
}

# find_key NAME: sets _v to the text after `"NAME":` (and white space); returns 1 if the key is absent.
find_key() {
    _rest=$doc
    while :; do
        case $_rest in
            *"\"$1\""*) _rest=${_rest#*"\"$1\""} ;;
            *) return 1 ;;
        esac
        skip_ws "$_rest"
        case $_s in
            :*) skip_ws "${_s#:}"; _v=$_s; return 0 ;;
        esac
    done
}

# get_string NAME: sets _v to the string value of NAME; returns 1 if absent.
get_string() {
    find_key "$1" || return 1
    case $_v in
        \"*) _v=${_v#\"} ;;
        *) fail "\`$1\` must be a string" ;;
    esac
    case $_v in
        *\"*) _v=${_v%%\"*} ;;
        *) fail "the request is not valid JSON: unterminated string" ;;
    esac
    case $_v in
        *\\*) fail "\`$1\` must not contain escape sequences" ;;
    esac
    return 0
}

# get_int NAME DEFAULT: sets _v to the non-negative integer value of NAME, or DEFAULT if absent.
get_int() {
    if ! find_key "$1"; then
        _v=$2
        return 0
    fi
    _digits=${_v%%[!0-9]*}
    _after=${_v#"$_digits"}
    case $_after in
        [.eE]*) fail "\`$1\` must be an integer" ;;
    esac
    case $_digits in
        '' | 0?*) fail "\`$1\` must be an integer written without a sign or leading zeros" ;;
    esac
    if [ ${#_digits} -gt 9 ]; then
        fail "\`$1\` is too large"
    fi
    _v=$_digits
}

# get_bool NAME DEFAULT: sets _v to true or false.
get_bool() {
    if ! find_key "$1"; then
        _v=$2
        return 0
    fi
    case $_v in
        true*) _v=true ;;
        false*) _v=false ;;
        *) fail "\`$1\` must be a boolean" ;;
    esac
}

check_base() { # NAME VALUE
    if [ "$2" -lt 2 ] || [ "$2" -gt 36 ]; then
        fail "\`$1\` must be a base from 2 to 36"
    fi
}

# parse VALUE BASE: sets num (magnitude) and sign ("" or "-").
parse() {
    _t=$1
    sign=
    case $_t in
        -*) sign=-; _t=${_t#-} ;;
        +*) _t=${_t#+} ;;
    esac
    case $2:$_t in
        16:0[xX]?* | 8:0[oO]?* | 2:0[bB]?*) _t=${_t#??} ;;
    esac
    case $_t in
        '') fail "\`value\` has no digits" ;;
        *[!0-9A-Za-z]*) fail "\`value\` may contain only a sign, a 0x, 0o or 0b prefix matching \`from\`, digits and letters" ;;
    esac
    num=0
    while [ -n "$_t" ]; do
        _r=${_t#?}
        _c=${_t%"$_r"}
        _t=$_r
        _p=${LOWER%%"$_c"*}
        if [ ${#_p} -eq 36 ]; then
            _p=${UPPER%%"$_c"*}
        fi
        _d=${#_p}
        if [ "$_d" -ge "$2" ]; then
            fail "'$_c' is not a digit in base $2"
        fi
        if [ "$num" -gt $(((MAX - _d) / $2)) ]; then
            fail "\`value\` is out of range: the magnitude must be at most 9223372036854775807 (2^63 - 1)"
        fi
        num=$((num * $2 + _d))
    done
    if [ "$num" -eq 0 ]; then
        sign=
    fi
}

# format NUMBER BASE DIGITS: sets out to NUMBER written in BASE with the digit alphabet DIGITS.
format() {
    _n=$1
    out=
    while :; do
        _k=$((_n % $2))
        _a=$3
        while [ "$_k" -gt 0 ]; do
            _a=${_a#?}
            _k=$((_k - 1))
        done
        out=${_a%"${_a#?}"}$out
        _n=$((_n / $2))
        if [ "$_n" -eq 0 ]; then
            return 0
        fi
    done
}

base_convert() {
    get_string value || fail "\`value\` is required"
    value=$_v
    get_int from 10; from=$_v; check_base from "$from"
    get_int to 16; to=$_v; check_base to "$to"
    get_bool uppercase false; digits=$LOWER
    if [ "$_v" = true ]; then
        digits=$UPPER
    fi
    parse "$value" "$from"
    format "$num" "$to" "$digits"
    printf '{"output":{"result":"%s%s","decimal":"%s%s","from":%d,"to":%d}}\n' "$sign" "$out" "$sign" "$num" "$from" "$to"
}

base_formats() {
    get_string value || fail "\`value\` is required"
    value=$_v
    get_int from 10; from=$_v; check_base from "$from"
    parse "$value" "$from"
    format "$num" 2 "$LOWER"; binary=$out
    format "$num" 8 "$LOWER"; octal=$out
    format "$num" 16 "$LOWER"; hexadecimal=$out
    printf '{"output":{"decimal":"%s%s","binary":"%s%s","octal":"%s%s","hexadecimal":"%s%s"}}\n' \
        "$sign" "$num" "$sign" "$binary" "$sign" "$octal" "$sign" "$hexadecimal"
}

# Read the whole request; line breaks in JSON text can only be white space, so they become spaces.
doc=
while IFS= read -r line; do
    doc="$doc$line "
done
doc="$doc$line"
if [ ${#doc} -gt 65536 ]; then
    fail "the request is larger than 64 KiB"
fi
case $doc in
    *[![:space:]]*) ;;
    *) fail "the request is empty" ;;
esac

get_string tool || fail "the request has no \`tool\`"
case $_v in
    base_convert) base_convert ;;
    base_formats) base_formats ;;
    '' | *[!a-z0-9_]*) fail "unknown tool (this package provides: base_convert, base_formats)" ;;
    *) fail "unknown tool: $_v (this package provides: base_convert, base_formats)" ;;
esac
