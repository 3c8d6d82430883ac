package dev.robustspec.lsp.protocol;

import com.google.gson.JsonElement;
import com.google.gson.TypeAdapter;
import com.google.gson.annotations.JsonAdapter;
import com.google.gson.internal.bind.TypeAdapters;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;

/**
 * JSON sent with its {@code null} members kept. LSP4J's Gson drops null members (right for the
 * standard messages, whose absent fields are optional), but the custom messages promise
 * {@code "margin": null} and the like to their clients, so these write nulls explicitly.
 */
@JsonAdapter(ExplicitNulls.Adapter.class)
final class ExplicitNulls {
  final JsonElement json;

  ExplicitNulls(JsonElement json) {
    this.json = json;
  }

  static final class Adapter extends TypeAdapter<ExplicitNulls> {
    @Override
    public void write(JsonWriter out, ExplicitNulls value) throws IOException {
      boolean before = out.getSerializeNulls();
      out.setSerializeNulls(true);
      try {
        TypeAdapters.JSON_ELEMENT.write(out, value.json);
      } finally {
        out.setSerializeNulls(before);
      }
    }

    @Override
    public ExplicitNulls read(JsonReader in) throws IOException {
      return new ExplicitNulls(TypeAdapters.JSON_ELEMENT.read(in));
    }
  }
}
