package org.churnsignals.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Events and outputs as JSON, driven by their Avro schemas, so any generated class works:
 * timestamps are ISO-8601 UTC strings ({@code "2026-03-01T10:15:00Z"}), money is integer cents, enums are their
 * names, nested records and lists are objects and arrays, field names are the schema's.
 *
 * <p>Reading: a field is required when its schema is not a union with null and has no default; an absent
 * optional field takes its default (or null); fields the schema does not know are ignored. Any ISO-8601 instant
 * with a zone or offset is accepted. Writing: fields in schema order, null optional fields left out, map entries in
 * key order so that output is deterministic.
 */
public final class EventJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  // SpecificData.getForClass reflects on the class each call; replay reads one event a line.
  private static final ClassValue<SpecificData> MODELS = new ClassValue<>() {
    @Override
    protected SpecificData computeValue(Class<?> type) {
      return SpecificData.getForClass(type);
    }
  };

  private EventJson() {
  }

  /** The mapper the JSON Lines files are read and written with; configure nothing on it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Parses one JSON text (e.g. a line) as a {@code type}.
   *
   * @throws InvalidEventException if it is not JSON, or does not fit {@code type}'s schema
   */
  public static <T extends SpecificRecord> T read(String json, Class<T> type) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException(InvalidEventException.INVALID_JSON, "", "not valid JSON: "
          + e.getOriginalMessage());
    }
    return read(node, type);
  }

  /**
   * Converts a JSON object to a {@code type}.
   *
   * @throws InvalidEventException if it does not fit {@code type}'s schema
   */
  public static <T extends SpecificRecord> T read(JsonNode node, Class<T> type) {
    SpecificData model = MODELS.get(type);
    Schema schema = model.getSchema(type);
    if (node == null || !node.isObject()) {
      throw new InvalidEventException(InvalidEventException.INVALID_VALUE, "", "expected a JSON object for "
          + schema.getName() + ", got " + shown(node));
    }
    return type.cast(readRecord(node, schema, "", model));
  }

  /** The record as a JSON object, fields in schema order. */
  public static ObjectNode write(SpecificRecord record) {
    return writeRecord(record, record.getSchema());
  }

  /** The record as one line of compact JSON, without a line break. */
  public static String writeLine(SpecificRecord record) {
    try {
      return MAPPER.writeValueAsString(write(record));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object readRecord(JsonNode node, Schema schema, String path, SpecificData model) {
    if (!node.isObject()) {
      throw invalid(path, "must be a JSON object", node);
    }
    IndexedRecord record = (IndexedRecord) model.newRecord(null, schema);
    for (Schema.Field field : schema.getFields()) {
      String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
      JsonNode value = node.get(field.name());
      Object datum;
      if (value != null && !value.isNull()) {
        datum = readValue(value, field.schema(), fieldPath, model);
      } else if (field.hasDefaultValue()) {
        datum = model.deepCopy(field.schema(), model.getDefaultValue(field));
      } else if (nullable(field.schema())) {
        datum = null;
      } else {
        throw new InvalidEventException(InvalidEventException.MISSING_FIELD, fieldPath,
            "missing required field '" + fieldPath + "'");
      }
      record.put(field.pos(), datum);
    }
    return record;
  }

  private static Object readValue(JsonNode node, Schema schema, String path, SpecificData model) {
    switch (schema.getType()) {
      case UNION:
        return readValue(node, nonNullBranch(schema, path), path, model);
      case RECORD:
        return readRecord(node, schema, path, model);
      case ENUM:
        if (!node.isTextual()) {
          throw invalid(path, "must be one of " + String.join(", ", schema.getEnumSymbols()), node);
        }
        if (!schema.hasEnumSymbol(node.textValue())) {
          throw new InvalidEventException(InvalidEventException.UNKNOWN_ENUM, path, "unknown value '"
              + node.textValue() + "' for " + path + " (expected " + String.join(", ", schema.getEnumSymbols()) + ")");
        }
        return model.createEnum(node.textValue(), schema);
      case STRING:
        if (!node.isTextual()) {
          throw invalid(path, "must be a string", node);
        }
        return node.textValue();
      case LONG:
        if (isTimestampMillis(schema)) {
          return readInstant(node, path);
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
          throw invalid(path, "must be a whole number", node);
        }
        return node.longValue();
      case INT:
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
          throw invalid(path, "must be a whole number", node);
        }
        return node.intValue();
      case DOUBLE:
        if (!node.isNumber()) {
          throw invalid(path, "must be a number", node);
        }
        return node.doubleValue();
      case FLOAT:
        if (!node.isNumber()) {
          throw invalid(path, "must be a number", node);
        }
        return node.floatValue();
      case BOOLEAN:
        if (!node.isBoolean()) {
          throw invalid(path, "must be true or false", node);
        }
        return node.booleanValue();
      case ARRAY:
        if (!node.isArray()) {
          throw invalid(path, "must be a JSON array", node);
        }
        List<Object> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
          items.add(readValue(node.get(i), schema.getElementType(), path + "[" + i + "]", model));
        }
        return items;
      case MAP:
        if (!node.isObject()) {
          throw invalid(path, "must be a JSON object", node);
        }
        Map<String, Object> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> entry = it.next();
          entries.put(entry.getKey(), readValue(entry.getValue(), schema.getValueType(),
              path + "." + entry.getKey(), model));
        }
        return entries;
      default:
        throw new UnsupportedOperationException("EventJson does not read Avro " + schema.getType() + " (" + path + ")");
    }
  }

  private static Instant readInstant(JsonNode node, String path) {
    if (node.isTextual()) {
      try {
        return Instant.parse(node.textValue()).truncatedTo(ChronoUnit.MILLIS);
      } catch (DateTimeParseException e) {
        // reported below, with the expected form
      }
    }
    throw invalid(path, "must be an ISO-8601 instant such as \"2026-03-01T10:15:00Z\"", node);
  }

  private static ObjectNode writeRecord(IndexedRecord record, Schema schema) {
    ObjectNode object = NODES.objectNode();
    for (Schema.Field field : schema.getFields()) {
      Object datum = record.get(field.pos());
      if (datum != null || !nullable(field.schema())) {
        object.set(field.name(), writeValue(datum, field.schema(), field.name()));
      }
    }
    return object;
  }

  private static JsonNode writeValue(Object datum, Schema schema, String path) {
    if (datum == null) {
      return NODES.nullNode();
    }
    switch (schema.getType()) {
      case UNION:
        return writeValue(datum, nonNullBranch(schema, path), path);
      case RECORD:
        return writeRecord((IndexedRecord) datum, schema);
      case ENUM:
        return NODES.textNode(datum instanceof Enum<?> ? ((Enum<?>) datum).name() : datum.toString());
      case STRING:
        return NODES.textNode(datum.toString());
      case LONG:
        if (isTimestampMillis(schema)) {
          Instant instant = datum instanceof Instant ? (Instant) datum : Instant.ofEpochMilli((Long) datum);
          return NODES.textNode(instant.toString());
        }
        return NODES.numberNode(((Number) datum).longValue());
      case INT:
        return NODES.numberNode(((Number) datum).intValue());
      case DOUBLE:
        return NODES.numberNode(((Number) datum).doubleValue());
      case FLOAT:
        return NODES.numberNode(((Number) datum).floatValue());
      case BOOLEAN:
        return NODES.booleanNode((Boolean) datum);
      case ARRAY:
        ArrayNode array = NODES.arrayNode();
        int i = 0;
        for (Object item : (Collection<?>) datum) {
          array.add(writeValue(item, schema.getElementType(), path + "[" + i++ + "]"));
        }
        return array;
      case MAP:
        ObjectNode object = NODES.objectNode();
        Map<String, Object> sorted = new TreeMap<>();
        ((Map<?, ?>) datum).forEach((key, value) -> sorted.put(key.toString(), value));
        sorted.forEach((key, value) -> object.set(key, writeValue(value, schema.getValueType(), path + "." + key)));
        return object;
      default:
        throw new UnsupportedOperationException("EventJson does not write Avro " + schema.getType() + " (" + path + ")");
    }
  }

  private static boolean nullable(Schema schema) {
    return schema.getType() == Schema.Type.UNION
        && schema.getTypes().stream().anyMatch(branch -> branch.getType() == Schema.Type.NULL);
  }

  /** The X of a {@code ["null", X]} union: the only unions the schemas use. */
  private static Schema nonNullBranch(Schema union, String path) {
    List<Schema> branches = union.getTypes().stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
    if (branches.size() != 1) {
      throw new UnsupportedOperationException("EventJson reads only unions of null and one type, not " + union
          + " (" + path + ")");
    }
    return branches.get(0);
  }

  private static boolean isTimestampMillis(Schema schema) {
    LogicalType logicalType = schema.getLogicalType();
    return logicalType != null && logicalType.getName().equals(LogicalTypes.timestampMillis().getName());
  }

  private static InvalidEventException invalid(String path, String expectation, JsonNode node) {
    return new InvalidEventException(InvalidEventException.INVALID_VALUE, path,
        "field '" + path + "' " + expectation + ", got " + shown(node));
  }

  private static String shown(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    String text = node.toString();
    return text.length() > 60 ? text.substring(0, 60) + "..." : text;
  }
}
