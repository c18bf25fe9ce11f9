package org.churnsignals.topology;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Every RocksDB store of the process shares one block cache and one write-buffer budget, so memory stays
 * bounded however many customers, stores and partitions there are (by default each store instance
 * would take its own cache and memtables). Index and filter blocks live in the cache too: a million
 * customers cost disk, not memory.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

  /** Streams setting carrying {@code state.rocksdb-memory-mb} to the stores. */
  public static final String TOTAL_MEMORY_MB = "churn.rocksdb.memory.mb";
  private static final double WRITE_BUFFER_SHARE = 0.25;
  private static final long MB = 1024 * 1024;

  private static Cache cache;
  private static WriteBufferManager writeBuffers;

  private static synchronized void createShared(long totalBytes) {
    if (cache == null) {
      cache = new LRUCache(totalBytes, -1, false, 0.1);
      writeBuffers = new WriteBufferManager((long) (totalBytes * WRITE_BUFFER_SHARE), cache);
    }
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    Object configured = configs.get(TOTAL_MEMORY_MB);
    createShared(Long.parseLong(String.valueOf(configured == null ? 256 : configured)) * MB);
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(cache);
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setWriteBufferManager(writeBuffers);
    options.setTableFormatConfig(table);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and write buffers are shared by every store of the process: they outlive any one store.
  }
}
