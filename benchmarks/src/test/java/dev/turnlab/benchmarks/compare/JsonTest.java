package dev.turnlab.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsObjectsArraysNumbersStringsAndLiteralsInDocumentOrder() {
        Object value = Json.parse(" {\"b\": [1, -2.5, 3e2], \"a\": {\"x\": null, \"y\": true, \"z\": false},"
                + " \"s\": \"q\\\"\\\\\\/\\n\\u00b5\"} ");
        assertThat(value).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        assertThat(map.keySet()).containsExactly("b", "a", "s");
        assertThat(map.get("b")).isEqualTo(List.of(1.0, -2.5, 300.0));
        Map<?, ?> a = (Map<?, ?>) map.get("a");
        assertThat(a.containsKey("x")).isTrue();
        assertThat(a.get("x")).isNull();
        assertThat(a.get("y")).isEqualTo(true);
        assertThat(a.get("z")).isEqualTo(false);
        assertThat(map.get("s")).isEqualTo("q\"\\/\nµ");
    }

    @Test
    void emptyContainersAreEmpty() {
        assertThat(Json.parse("{}")).isEqualTo(Map.of());
        assertThat(Json.parse("[ ]")).isEqualTo(List.of());
    }

    @Test
    void malformedTextIsRejectedWithItsOffset() {
        assertThatThrownBy(() -> Json.parse("{\"a\":1,}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset 7");
        assertThatThrownBy(() -> Json.parse("{\"a\":1} x")).hasMessageContaining("trailing");
        assertThatThrownBy(() -> Json.parse("\"open")).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> Json.parse("[1 2]")).hasMessageContaining("expected ']'");
        assertThatThrownBy(() -> Json.parse("")).hasMessageContaining("unexpected end");
        assertThatThrownBy(() -> Json.parse("nul")).hasMessageContaining("unexpected word");
    }
}
